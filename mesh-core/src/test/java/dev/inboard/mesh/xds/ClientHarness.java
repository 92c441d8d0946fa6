package dev.inboard.mesh.xds;

import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.testing.FakeClock;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/** An xDS client wired to a fake ADS server and a fake clock. */
final class ClientHarness implements AutoCloseable {
  static final Node NODE = Node.newBuilder()
      .setId("sidecar~10.0.0.7~reviews-v1-abc.default~default.svc.cluster.local")
      .setCluster("reviews.default")
      .build();
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);

  final FakeAdsServer server;
  final FakeClock clock = new FakeClock();
  final ManagedChannel channel;
  final XdsClient client;
  final List<MeshSnapshot> published = new CopyOnWriteArrayList<>();

  ClientHarness(XdsProtocol protocol, boolean namedListeners) throws IOException {
    this(protocol, namedListeners, new FakeAdsServer());
  }

  ClientHarness(XdsProtocol protocol, boolean namedListeners, FakeAdsServer server) {
    this.server = server;
    this.channel = server.channel();
    RandomGenerator random = new SplittableRandom(42);
    this.client = new XdsClient(new XdsClient.Settings(channel, NODE, "fake-istiod", namedListeners, protocol, clock,
        random, Backoff.DEFAULT, FETCH_TIMEOUT, () -> { }));
    client.addWatcher(published::add);
  }

  MeshSnapshot snapshot() {
    return client.snapshot();
  }

  XdsSyncState.TypeSync sync(String kind) {
    return client.syncState().types().stream().filter(t -> t.kind().equals(kind)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    client.close();
    channel.shutdownNow();
    server.close();
  }
}
