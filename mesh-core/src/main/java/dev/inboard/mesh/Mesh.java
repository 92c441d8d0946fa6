package dev.inboard.mesh;

import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data plane of one process: the xDS client (one ADS stream) and the traffic engine it feeds. Adapters
 * (OkHttp, gRPC, Spring) take a {@code Mesh} and ask its {@link #engine()} what to do with each request.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.start(MeshOptions.builder().build());   // bootstrap from the environment
 * mesh.awaitReady(Duration.ofSeconds(10));                  // optional, like holdApplicationUntilProxyStarts
 * }</pre>
 */
public final class Mesh implements AutoCloseable {
  private final MeshOptions options;
  private final XdsClient xds;
  private final TrafficEngine engine;

  private Mesh(MeshOptions options) {
    this.options = options;
    this.engine = new TrafficEngine(options.clock(), options.random());
    this.xds = XdsClient.create(options.xdsClientOptions());
    xds.addWatcher(engine);
  }

  /** Connects to the control plane and starts applying its configuration. */
  public static Mesh start(MeshOptions options) {
    Mesh mesh = new Mesh(options);
    mesh.xds.start();
    return mesh;
  }

  /** Waits until the first complete configuration arrived (everything subscribed, or known missing). */
  public MeshSnapshot awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
    try {
      // Watchers (the engine among them) are told of a snapshot before whenComplete completes with it.
      return xds.whenComplete().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the xDS client failed before its first complete configuration", e.getCause());
    }
  }

  public TrafficEngine engine() {
    return engine;
  }

  public XdsClient xds() {
    return xds;
  }

  public MeshOptions options() {
    return options;
  }

  @Override
  public void close() {
    xds.close();
    engine.close();
  }
}
