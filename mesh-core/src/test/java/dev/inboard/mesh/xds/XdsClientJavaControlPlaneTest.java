package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.badMaglevCluster;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against Envoy's java-control-plane, a real xDS server, over loopback TCP. */
class XdsClientJavaControlPlaneTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);
  static final Duration WAIT = Duration.ofSeconds(10);

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  final List<String> nackReasons = new CopyOnWriteArrayList<>();
  Server server;
  XdsClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(value = XdsProtocol.class, names = {"AUTO", "SOTW"})
  void fullConfig_arrives_updates_andRemovalsAreApplied(XdsProtocol protocol) throws Exception {
    cache.setSnapshot("bookinfo", snapshot("1", List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:9081"), endpoints(V2, "127.0.0.1:9082"))));
    startServer(0);
    client = startClient(protocol);

    MeshSnapshot first = client.whenComplete().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(first.clusters()).containsOnlyKeys(V1, V2);
    assertThat(first.listeners()).containsOnlyKeys("0.0.0.0_9080");
    assertThat(first.routes()).containsOnlyKeys("9080");
    assertThat(first.endpoints()).containsOnlyKeys(V1, V2);
    assertThat(client.syncState().protocol()).isEqualTo(protocol == XdsProtocol.AUTO ? XdsProtocol.DELTA : protocol);

    cache.setSnapshot("bookinfo", snapshot("2", List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:9081", "127.0.0.1:9091"), endpoints(V2, "127.0.0.1:9082"))));
    await().atMost(WAIT).until(() -> endpointCount(client.snapshot(), V1) == 2);

    cache.setSnapshot("bookinfo", snapshot("3", List.of(edsCluster(V1)),
        List.of(endpoints(V1, "127.0.0.1:9081", "127.0.0.1:9091"))));
    await().atMost(WAIT).until(() -> !client.snapshot().clusters().containsKey(V2));
    assertThat(client.snapshot().clusters()).containsOnlyKeys(V1);
    assertThat(client.snapshot().endpoints()).containsOnlyKeys(V1);
  }

  @ParameterizedTest
  @EnumSource(value = XdsProtocol.class, names = {"AUTO", "SOTW"})
  void invalidCluster_isNackedToTheServer_andLastGoodConfigKeepsServing(XdsProtocol protocol) throws Exception {
    cache.setSnapshot("bookinfo", snapshot("1", List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:9081"), endpoints(V2, "127.0.0.1:9082"))));
    startServer(0);
    client = startClient(protocol);
    MeshSnapshot good = client.whenComplete().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    cache.setSnapshot("bookinfo", snapshot("2", List.of(edsCluster(V1), badMaglevCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:9081"), endpoints(V2, "127.0.0.1:9082"))));

    await().atMost(WAIT).until(() -> !nackReasons.isEmpty());
    assertThat(nackReasons.get(0)).isEqualTo("Cluster '" + V2 + "': lb_policy MAGLEV: table_size must be prime,"
        + " was 100");
    assertThat(client.snapshot().clusters().get(V2)).isEqualTo(good.clusters().get(V2));
    assertThat(client.syncState().types().stream().filter(t -> t.kind().equals("Cluster")).findFirst()
        .orElseThrow().lastNack()).isPresent();
  }

  @Test
  void serverRestart_clientKeepsServing_thenReconnectsAndResubscribes() throws Exception {
    cache.setSnapshot("bookinfo", snapshot("1", List.of(edsCluster(V1)), List.of(endpoints(V1, "127.0.0.1:9081"))));
    startServer(0);
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    client = startClient(XdsProtocol.AUTO);
    MeshSnapshot before = client.whenComplete().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    server.shutdownNow().awaitTermination();
    await().atMost(WAIT).until(() -> client.syncState().connection() == XdsSyncState.ConnectionState.BACKING_OFF);
    assertThat(client.snapshot()).isSameAs(before);

    cache.setSnapshot("bookinfo", snapshot("2", List.of(edsCluster(V1)), List.of(endpoints(V1, "127.0.0.1:9099"))));
    startServer(port);

    await().atMost(WAIT).until(() -> client.snapshot().endpoints().get(V1).localities().get(0).endpoints().get(0)
        .address().equals(new SocketAddress("127.0.0.1", 9099)));
    assertThat(client.syncState().connection()).isEqualTo(XdsSyncState.ConnectionState.CONNECTED);
  }

  private static int endpointCount(MeshSnapshot snapshot, String cluster) {
    var cla = snapshot.endpoints().get(cluster);
    return cla == null ? 0 : cla.localities().stream().mapToInt(l -> l.endpoints().size()).sum();
  }

  private static Snapshot snapshot(String version, List<Cluster> clusters, List<ClusterLoadAssignment> cla) {
    return Snapshot.create(clusters, cla, List.of(sidecarListener(9080, "9080")),
        List.of(routeTo("9080", HOST, V1)), List.of(), version);
  }

  private void startServer(int port) throws Exception {
    DiscoveryServerCallbacks callbacks = new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        if (request.hasErrorDetail()) {
          nackReasons.add(request.getErrorDetail().getMessage());
        }
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        if (request.hasErrorDetail()) {
          nackReasons.add(request.getErrorDetail().getMessage());
        }
      }
    };
    V3DiscoveryServer discovery = new V3DiscoveryServer(callbacks, cache);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  private XdsClient startClient(XdsProtocol protocol) {
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    XdsBootstrap bootstrap = new XdsBootstrap(ControlPlaneServer.plaintext("127.0.0.1:" + port),
        NodeIdentity.builder().namespace("default").podName("productpage-v1-1").app("productpage").version("v1")
            .serviceAccount("bookinfo-productpage").instanceIps("127.0.0.1").build(),
        Map.of(), Optional.empty(), "test bootstrap");
    XdsClient c = XdsClient.create(XdsClientOptions.builder()
        .bootstrap(bootstrap)
        .protocol(protocol)
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 1.6, 0.2))
        .build());
    c.start();
    return c;
  }
}
