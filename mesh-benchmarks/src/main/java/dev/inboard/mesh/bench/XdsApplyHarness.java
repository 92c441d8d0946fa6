package dev.inboard.mesh.bench;

import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.ManagedChannel;
import java.io.IOException;

/**
 * Real {@link XdsClient}s, sidecar-shaped and on Delta xDS, wired to an {@link InProcessAdsServer}. One harness
 * (server and channel) serves many sessions; each session is a fresh client on its own ADS stream.
 */
public final class XdsApplyHarness implements AutoCloseable {
  /** A sidecar-shaped workload in the fixture's proxy namespace: wildcard CDS and LDS, like Envoy. */
  public static final NodeInfo NODE = NodeIdentity.builder()
      .namespace(IstioScaleFixture.PROXY_NAMESPACE)
      .workloadName("client-v1")
      .app("client")
      .version("v1")
      .serviceAccount("client")
      .instanceIps("10.0.0.7")
      .build();

  private final InProcessAdsServer server;
  private final ManagedChannel channel;

  public XdsApplyHarness() throws IOException {
    server = new InProcessAdsServer();
    channel = server.channel();
  }

  /** Creates and starts a client; returns once its ADS stream is open and its first requests are sent. */
  public Session open() throws InterruptedException {
    XdsClient client = XdsClient.create(XdsClientOptions.builder()
        .channel(channel, "bench-istiod")
        .node(NODE)
        .protocol(XdsProtocol.DELTA)
        .build());
    client.start();
    return new Session(client, server.nextStream());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.close();
  }

  /** One client and its stream. */
  public static final class Session implements AutoCloseable {
    private final XdsClient client;
    private final InProcessAdsServer.Stream stream;

    Session(XdsClient client, InProcessAdsServer.Stream stream) {
      this.client = client;
      this.stream = stream;
    }

    public XdsClient client() {
      return client;
    }

    public InProcessAdsServer.Stream stream() {
      return stream;
    }

    /** Sends one response; returns after the client applied it. */
    public void send(byte[] deltaDiscoveryResponse) {
      stream.send(deltaDiscoveryResponse);
    }

    /** Sends the whole configuration and returns the snapshot, which must be complete and free of NACKs. */
    public MeshSnapshot apply(DeltaResponses.FullConfig config) {
      for (byte[] response : config.inOrder()) {
        stream.send(response);
      }
      return requireHealthy();
    }

    /** The current snapshot; fails if it is incomplete or the client refused anything. */
    public MeshSnapshot requireHealthy() {
      if (stream.nackCount() > 0) {
        throw new IllegalStateException("the client NACKed the fixture: " + stream.lastNack().orElse(""));
      }
      MeshSnapshot snapshot = client.snapshot();
      if (!snapshot.complete()) {
        throw new IllegalStateException("snapshot " + snapshot.version() + " is not complete: " + snapshot.clusters().size()
            + " clusters, " + snapshot.endpoints().size() + " load assignments, " + snapshot.listeners().size()
            + " listeners, " + snapshot.routes().size() + " route configurations");
      }
      return snapshot;
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
