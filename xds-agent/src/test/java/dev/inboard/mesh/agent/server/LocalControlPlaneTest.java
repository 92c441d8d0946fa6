package dev.inboard.mesh.agent.server;

import static dev.inboard.mesh.agent.server.ControlPlaneHarness.RATINGS;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.SERVICES;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.WAIT;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.complete;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.endpoints;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.server.ProxyStatus.SyncState;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsProtocol;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The control plane end to end over loopback, with Inboard's own xDS client connecting as workloads. */
class LocalControlPlaneTest {
  static final String PRODUCTPAGE = EdsPerServiceGenerator.cluster(9080, "productpage.default.svc.cluster.local");
  static final String REVIEWS = EdsPerServiceGenerator.cluster(9080, "reviews.default.svc.cluster.local");
  static final String RATINGS_CLUSTER = EdsPerServiceGenerator.cluster(9080, "ratings.default.svc.cluster.local");
  static final String A = "productpage-v1-1.default";
  static final String B = "reviews-v1-1.default";
  static final Duration DEBOUNCE = Duration.ofMillis(100);

  @TempDir
  Path tempDir;

  @ParameterizedTest
  @EnumSource(value = XdsProtocol.class, names = {"AUTO", "SOTW"})
  void twoWorkloads_getTheirSnapshots_andAConnectingWorkloadReachesTheOtherAfterTheDebounce(XdsProtocol protocol)
      throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), protocol);
      MeshSnapshot first = complete(a);
      assertThat(first.clusters()).containsOnlyKeys(PRODUCTPAGE, REVIEWS);
      assertThat(first.listeners()).containsOnlyKeys("0.0.0.0_9080");
      assertThat(endpoints(first, PRODUCTPAGE)).containsExactly("10.0.0.1:9080");
      assertThat(endpoints(first, REVIEWS)).isEmpty();

      XdsClient b = h.connect(workload("reviews-v1-1", "reviews", "10.0.0.2"), protocol);
      MeshSnapshot bFirst = complete(b);
      assertThat(endpoints(bFirst, REVIEWS)).containsExactly("10.0.0.2:9080");
      assertThat(endpoints(bFirst, PRODUCTPAGE)).containsExactly("10.0.0.1:9080");

      h.clock.forward(DEBOUNCE.minusMillis(1));
      assertThat(servedEndpoints(h, A, REVIEWS)).isEmpty();
      h.clock.forward(Duration.ofMillis(1));
      assertThat(servedEndpoints(h, A, REVIEWS)).containsExactly("10.0.0.2:9080");
      await().atMost(WAIT).until(() -> endpoints(a.snapshot(), REVIEWS).equals(List.of("10.0.0.2:9080")));
      assertThat(h.status(A).registered()).isTrue();
      assertThat(h.status(A).protocol()).isEqualTo(protocol == XdsProtocol.SOTW ? "SOTW" : "DELTA");
      await().atMost(WAIT).until(() -> h.status(A).types().stream().allMatch(t -> t.state() == SyncState.SYNCED));
    }
  }

  @Test
  void disconnectedWorkload_isRemovedAfterTheGrace_butAReconnectWithinItKeepsIt() throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO);
      complete(a);
      XdsClient b = h.connect(workload("reviews-v1-1", "reviews", "10.0.0.2"), XdsProtocol.AUTO);
      complete(b);
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> endpoints(a.snapshot(), REVIEWS).equals(List.of("10.0.0.2:9080")));

      h.disconnect(b);
      await().atMost(WAIT).until(() -> !h.connected(B));
      h.clock.forward(Duration.ofSeconds(5));
      XdsClient again = h.connect(workload("reviews-v1-1", "reviews", "10.0.0.2"), XdsProtocol.AUTO);
      complete(again);
      h.clock.forward(Duration.ofSeconds(10));
      assertThat(servedEndpoints(h, A, REVIEWS)).containsExactly("10.0.0.2:9080");

      h.disconnect(again);
      await().atMost(WAIT).until(() -> !h.connected(B));
      h.clock.forward(Duration.ofSeconds(10).minusMillis(1));
      assertThat(servedEndpoints(h, A, REVIEWS)).containsExactly("10.0.0.2:9080");
      h.clock.forward(Duration.ofMillis(1).plus(DEBOUNCE));
      assertThat(servedEndpoints(h, A, REVIEWS)).isEmpty();
      await().atMost(WAIT).until(() -> endpoints(a.snapshot(), REVIEWS).isEmpty());
    }
  }

  @Test
  void appliedChange_reachesEveryProxyAfterTheDebounce_andOnlyChangedTypesGetNewVersions() throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO);
      XdsClient b = h.connect(workload("reviews-v1-1", "reviews", "10.0.0.2"), XdsProtocol.SOTW);
      complete(a);
      complete(b);
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> synced(h, A) && synced(h, B));
      ProxyStatus before = h.status(A);

      var response = h.post("/v1/apply?source=ratings.yaml", "application/yaml", RATINGS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"resource\" : \"Service default/ratings\"", "\"action\" : \"created\"");
      assertThat(h.cp.servedTo(A).xds().clusters()).extracting(c -> c.getName()).doesNotContain(RATINGS_CLUSTER);

      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> a.snapshot().clusters().containsKey(RATINGS_CLUSTER)
          && b.snapshot().clusters().containsKey(RATINGS_CLUSTER));
      await().atMost(WAIT).until(() -> synced(h, A));
      ProxyStatus after = h.status(A);
      assertThat(after.type("CDS").orElseThrow().ackedVersion())
          .isNotEqualTo(before.type("CDS").orElseThrow().ackedVersion());
      assertThat(after.type("RDS").orElseThrow().ackedVersion())
          .isNotEqualTo(before.type("RDS").orElseThrow().ackedVersion());
      assertThat(after.type("LDS").orElseThrow().sentVersion())
          .isEqualTo(before.type("LDS").orElseThrow().sentVersion());
      assertThat(after.type("LDS").orElseThrow().sentNonce()).isEqualTo(before.type("LDS").orElseThrow().sentNonce());

      var again = h.post("/v1/apply?source=ratings.yaml", "application/yaml", RATINGS);
      assertThat(again.body()).contains("\"action\" : \"unchanged\"");
      h.clock.forward(DEBOUNCE);
      assertThat(h.status(A).type("CDS").orElseThrow().sentNonce())
          .isEqualTo(after.type("CDS").orElseThrow().sentNonce());
    }
  }

  @Test
  void workloadNoServiceSelects_registers_butOtherProxiesAreNotPushedAgain() throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO);
      complete(a);
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> synced(h, A));
      List<String> nonces = h.status(A).types().stream().map(ProxyStatus.TypeStatus::sentNonce).toList();

      complete(h.connect(workload("mongo-1", "mongo", "10.0.0.9"), XdsProtocol.AUTO));
      h.clock.forward(DEBOUNCE);

      assertThat(h.status("mongo-1.default").registered()).isTrue();
      assertThat(h.status(A).types().stream().map(ProxyStatus.TypeStatus::sentNonce).toList()).isEqualTo(nonces);
    }
  }

  @ParameterizedTest
  @EnumSource(value = XdsProtocol.class, names = {"AUTO", "SOTW"})
  void nack_showsInProxyStatusWithItsReason_isNotResent_andAFixSyncsAgain(XdsProtocol protocol) throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), protocol);
      complete(a);
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> synced(h, A));
      String goodCds = h.status(A).type("CDS").orElseThrow().ackedVersion();

      var response = h.post("/v1/apply", "application/yaml", SERVICES.replace(
          "metadata: {name: reviews, namespace: default}",
          "metadata: {name: reviews, namespace: default, annotations: {test.inboard.dev/invalid-cluster: "
              + "reviews.default.svc.cluster.local}}"));
      assertThat(response.statusCode()).isEqualTo(200);
      h.clock.forward(DEBOUNCE);

      await().atMost(WAIT).until(() -> h.status(A).type("CDS").orElseThrow().state() == SyncState.NACKED);
      ProxyStatus.TypeStatus cds = h.status(A).type("CDS").orElseThrow();
      assertThat(cds.lastNack()).hasValueSatisfying(nack -> {
        assertThat(nack.message()).isEqualTo("Cluster '" + REVIEWS + "': lb_policy MAGLEV: table_size must be prime,"
            + " was 100");
        assertThat(nack.version()).isEqualTo(cds.sentVersion());
        assertThat(nack.nonce()).isEqualTo(cds.sentNonce());
      });
      assertThat(cds.ackedVersion()).isEqualTo(goodCds);
      await().during(Duration.ofMillis(300)).atMost(WAIT)
          .until(() -> h.status(A).type("CDS").orElseThrow().sentNonce().equals(cds.sentNonce()));

      assertThat(h.post("/v1/apply", "application/yaml", SERVICES).statusCode()).isEqualTo(200);
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> h.status(A).type("CDS").orElseThrow().state() == SyncState.SYNCED);
      assertThat(h.status(A).type("CDS").orElseThrow().ackedVersion()).isEqualTo(goodCds);
    }
  }

  @Test
  void configDirectory_changedFileIsReloaded_invalidContentIsRefusedAndLastGoodKeepsServing() throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      XdsClient a = h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO);
      complete(a);

      Files.writeString(h.configDir.resolve("ratings.yaml"), RATINGS);
      h.clock.forward(ControlPlaneOptions.DEFAULT_CONFIG_POLL_INTERVAL);
      assertThat(h.cp.config().get("Service/default/ratings")).isPresent();
      h.clock.forward(DEBOUNCE);
      await().atMost(WAIT).until(() -> a.snapshot().clusters().containsKey(RATINGS_CLUSTER));

      Files.writeString(h.configDir.resolve("ratings.yaml"), RATINGS.replace("ports: [{port: 9080, name: http}]",
          "ports: 9080"));
      h.clock.forward(ControlPlaneOptions.DEFAULT_CONFIG_POLL_INTERVAL.plus(DEBOUNCE));
      assertThat(h.cp.config().get("Service/default/ratings")).isPresent();
      assertThat(h.cp.servedTo(A).xds().clusters()).extracting(c -> c.getName()).contains(RATINGS_CLUSTER);

      Files.delete(h.configDir.resolve("ratings.yaml"));
      h.clock.forward(ControlPlaneOptions.DEFAULT_CONFIG_POLL_INTERVAL.plus(DEBOUNCE));
      assertThat(h.cp.config().get("Service/default/ratings")).isEmpty();
      await().atMost(WAIT).until(() -> !a.snapshot().clusters().containsKey(RATINGS_CLUSTER));
    }
  }

  @Test
  void streamWhoseFirstRequestHasNoNode_isRefused() throws Exception {
    try (ControlPlaneHarness h = new ControlPlaneHarness(tempDir)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", h.cp.xdsAddress().getPort())
          .usePlaintext().build();
      try {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(new StreamObserver<>() {
              @Override
              public void onNext(DiscoveryResponse response) {
                closed.completeExceptionally(new AssertionError("unexpected response " + response));
              }

              @Override
              public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                closed.complete(Status.OK);
              }
            });
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(XdsTypes.CLUSTER).build());

        Status status = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription())
            .isEqualTo("node.id is empty; a proxy must say who it is on its first request");
        assertThat(h.cp.proxyStatus()).isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static boolean synced(ControlPlaneHarness h, String proxy) {
    return h.connected(proxy) && h.status(proxy).types().stream().allMatch(t -> t.state() == SyncState.SYNCED);
  }

  private static List<String> servedEndpoints(ControlPlaneHarness h, String proxy, String cluster) {
    return h.cp.servedTo(proxy).xds().endpoints().stream()
        .filter(cla -> cla.getClusterName().equals(cluster))
        .flatMap(cla -> cla.getEndpointsList().stream())
        .flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
            + e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .toList();
  }
}
