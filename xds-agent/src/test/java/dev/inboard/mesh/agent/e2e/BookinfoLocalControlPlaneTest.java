package dev.inboard.mesh.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.ProxyStatus;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.VirtualHostConfig;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeClock;
import dev.inboard.mesh.xds.Backoff;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsClientOptions;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bookinfo's own Istio YAML (its Kubernetes Services, destination-rule-all, the reviews 50/50 v1/v3 split) served by
 * the local control plane with the real registry and generators; Bookinfo's workloads connect as Inboard xDS
 * clients and register themselves. productpage must receive istiod's shapes and accept every resource.
 */
class BookinfoLocalControlPlaneTest {
  static final Path SAMPLES = Path.of("src/test/resources/istio/bookinfo");
  static final String REVIEWS = "reviews.default.svc.cluster.local";
  static final Duration WAIT = Duration.ofSeconds(15);

  final FakeClock clock = new FakeClock();
  final List<XdsClient> clients = new ArrayList<>();
  final List<ManagedChannel> channels = new ArrayList<>();
  LocalControlPlane cp;

  @AfterEach
  void stop() {
    clients.forEach(XdsClient::close);
    channels.forEach(ManagedChannel::shutdownNow);
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void bookinfo_productpageGetsIstiodShapedXds_registeredWorkloadsAreEndpoints_andEveryTypeIsAcked(
      @TempDir Path dir) throws Exception {
    Files.copy(SAMPLES.resolve("platform/kube/bookinfo.yaml"), dir.resolve("bookinfo.yaml"));
    Files.copy(SAMPLES.resolve("networking/destination-rule-all.yaml"), dir.resolve("destination-rule-all.yaml"));
    Files.copy(SAMPLES.resolve("networking/virtual-service-reviews-50-v3.yaml"), dir.resolve("reviews-50-v3.yaml"));
    ServerComponents components = ServerComponents.standard();
    cp = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(0).apiPort(0).configDir(dir).clock(clock)
        .executor(Runnable::run).build(), components.registryBuilder(), components.generator());

    connect(workload("reviews", "v1", "10.0.0.11"));
    connect(workload("reviews", "v3", "10.0.0.13"));
    connect(workload("details", "v1", "10.0.0.21"));
    XdsClient productpage = connect(workload("productpage", "v1", "10.0.0.1"));
    clock.forward(ControlPlaneOptions.DEFAULT_DEBOUNCE_AFTER);

    await().atMost(WAIT).until(() -> endpoints(productpage.snapshot(), "outbound|9080|v3|" + REVIEWS)
        .equals(List.of("10.0.0.13:9080")));
    MeshSnapshot snapshot = productpage.snapshot();
    assertThat(snapshot.clusters()).containsKeys(
        "outbound|9080||" + REVIEWS, "outbound|9080|v1|" + REVIEWS, "outbound|9080|v2|" + REVIEWS,
        "outbound|9080|v3|" + REVIEWS, "outbound|9080||details.default.svc.cluster.local",
        "outbound|9080||productpage.default.svc.cluster.local", "inbound|9080||",
        "BlackHoleCluster", "PassthroughCluster");
    assertThat(endpoints(snapshot, "outbound|9080|v1|" + REVIEWS)).containsExactly("10.0.0.11:9080");
    assertThat(endpoints(snapshot, "outbound|9080|v2|" + REVIEWS)).isEmpty();
    assertThat(endpoints(snapshot, "outbound|9080||" + REVIEWS)).containsExactlyInAnyOrder(
        "10.0.0.11:9080", "10.0.0.13:9080");
    ClusterConfig v1 = snapshot.clusters().get("outbound|9080|v1|" + REVIEWS);
    assertThat(v1.transportSocketMatches()).extracting(ClusterConfig.TransportSocketMatch::name)
        .containsExactly("tlsMode-istio", "tlsMode-disabled");
    assertThat(snapshot.listeners()).containsKeys("0.0.0.0_9080", "virtualInbound");

    VirtualHostConfig reviews = snapshot.routes().get("9080").virtualHosts().stream()
        .filter(v -> v.name().equals(REVIEWS + ":9080")).findFirst().orElseThrow();
    assertThat(reviews.domains()).contains(REVIEWS, "reviews", "reviews.default", "reviews.default.svc");
    var action = (RouteAction.Forward) reviews.routes().get(0).action();
    var weighted = (RouteAction.ClusterSpecifier.Weighted) action.cluster();
    assertThat(weighted.clusters()).extracting(w -> w.name() + "=" + w.weight())
        .containsExactly("outbound|9080|v1|" + REVIEWS + "=50", "outbound|9080|v3|" + REVIEWS + "=50");

    await().atMost(WAIT).until(() -> status("productpage-v1-0.default").types().stream()
        .allMatch(t -> t.state() == ProxyStatus.SyncState.SYNCED));
    assertThat(status("productpage-v1-0.default").types()).allSatisfy(t -> assertThat(t.lastNack()).isEmpty());
  }

  private ProxyStatus status(String name) {
    return cp.proxyStatus().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy " + name + " in " + cp.proxyStatus()));
  }

  private static NodeInfo workload(String app, String version, String ip) {
    return NodeIdentity.builder().namespace("default").podName(app + "-" + version + "-0")
        .workloadName(app + "-" + version).app(app).version(version).serviceAccount("bookinfo-" + app)
        .label("security.istio.io/tlsMode", "istio").instanceIps(ip).port("http", 9080).build();
  }

  private XdsClient connect(NodeInfo node) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.xdsAddress().getPort())
        .usePlaintext().build();
    channels.add(channel);
    XdsClient client = XdsClient.create(XdsClientOptions.builder().channel(channel, "local control plane")
        .node(node).protocol(XdsProtocol.AUTO)
        .backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 1.6, 0.2)).build());
    clients.add(client);
    client.start();
    client.whenComplete().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return client;
  }

  private static List<String> endpoints(MeshSnapshot snapshot, String cluster) {
    var cla = snapshot.endpoints().get(cluster);
    return cla == null ? List.of() : cla.localities().stream().flatMap(l -> l.endpoints().stream())
        .map(e -> e.address().host() + ":" + e.address().port()).toList();
  }
}
