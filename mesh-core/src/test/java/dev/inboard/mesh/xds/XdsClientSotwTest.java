package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.RDS;
import static dev.inboard.mesh.testing.XdsFixtures.badMaglevCluster;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeAdsServer;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XdsClientSotwTest {
  static final String V1 = clusterName(9080, "v1", "reviews.default.svc.cluster.local");
  static final String V2 = clusterName(9080, "v2", "reviews.default.svc.cluster.local");
  static final String V3 = clusterName(9080, "v3", "reviews.default.svc.cluster.local");

  ClientHarness h;
  FakeAdsServer.Stream stream;

  @BeforeEach
  void start() throws Exception {
    h = new ClientHarness(XdsProtocol.SOTW, false);
    h.client.start();
    stream = h.server.nextStream();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void start_sidecarShape_subscribesWildcardCdsThenLdsWithNodeOnFirstRequest() throws Exception {
    DiscoveryRequest cds = stream.takeSotw();
    DiscoveryRequest lds = stream.takeSotw();

    assertThat(cds.getTypeUrl()).isEqualTo(CDS);
    assertThat(cds.getResourceNamesList()).isEmpty();
    assertThat(cds.getVersionInfo()).isEmpty();
    assertThat(cds.getResponseNonce()).isEmpty();
    assertThat(cds.getNode().getId()).isEqualTo("sidecar~10.0.0.7~reviews-v1-abc.default~default.svc.cluster.local");
    assertThat(lds.getTypeUrl()).isEqualTo(LDS);
    assertThat(lds.getResourceNamesList()).isEmpty();
    assertThat(lds.hasNode()).isFalse();
    assertThat(stream.pending()).isZero();
  }

  @Test
  void clusters_valid_areAckedWithVersionAndNonce_andTheirEndpointsSubscribedByName() throws Exception {
    skipInitialRequests();

    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1), edsCluster(V2)));

    DiscoveryRequest ack = stream.takeSotw();
    assertThat(ack.getTypeUrl()).isEqualTo(CDS);
    assertThat(ack.getVersionInfo()).isEqualTo("c1");
    assertThat(ack.getResponseNonce()).isEqualTo("n1");
    assertThat(ack.hasErrorDetail()).isFalse();
    DiscoveryRequest eds = stream.takeSotw();
    assertThat(eds.getTypeUrl()).isEqualTo(EDS);
    assertThat(eds.getResourceNamesList()).containsExactly(V1, V2);
    assertThat(eds.getVersionInfo()).isEmpty();
    assertThat(h.snapshot().clusters()).containsOnlyKeys(V1, V2);
  }

  @Test
  void clusters_oneInvalid_nackedWithPreviousVersion_validSiblingApplied_invalidKeepsLastGood() throws Exception {
    skipInitialRequests();
    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1), edsCluster(V2)));
    stream.takeSotw(); // ACK
    stream.takeSotw(); // EDS subscription
    var goodV2 = h.snapshot().clusters().get(V2);

    var changedV1 = edsCluster(V1).toBuilder()
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3)).build();
    stream.sendSotw(CDS, "c2", "n2", List.of(changedV1, badMaglevCluster(V2)));

    DiscoveryRequest nack = stream.takeSotw();
    assertThat(nack.getTypeUrl()).isEqualTo(CDS);
    assertThat(nack.getVersionInfo()).isEqualTo("c1");
    assertThat(nack.getResponseNonce()).isEqualTo("n2");
    assertThat(nack.getErrorDetail().getCode()).isEqualTo(3);
    assertThat(nack.getErrorDetail().getMessage()).isEqualTo(
        "Cluster 'outbound|9080|v2|reviews.default.svc.cluster.local': lb_policy MAGLEV: table_size must be prime,"
            + " was 100");
    assertThat(h.snapshot().clusters().get(V1).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(h.snapshot().clusters().get(V2)).isEqualTo(goodV2);
    var v2Sync = h.sync("Cluster").resources().get(V2);
    assertThat(v2Sync.status()).isEqualTo(ResourceStatus.NACKED);
    assertThat(v2Sync.version()).isEqualTo("c1");
    assertThat(v2Sync.error()).hasValueSatisfying(e -> assertThat(e).contains("table_size must be prime"));
    assertThat(h.sync("Cluster").lastNack()).hasValueSatisfying(n -> {
      assertThat(n.version()).isEqualTo("c2");
      assertThat(n.nonce()).isEqualTo("n2");
    });
    assertThat(h.sync("Cluster").ackedVersion()).isEqualTo("c1");
  }

  @Test
  void clusters_invalidWithoutPreviousVersion_isNotPublished() throws Exception {
    skipInitialRequests();

    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1), badMaglevCluster(V3)));

    assertThat(stream.takeSotw().getErrorDetail().getMessage()).startsWith("Cluster '" + V3 + "'");
    assertThat(h.snapshot().clusters()).containsOnlyKeys(V1);
    assertThat(stream.takeSotw().getResourceNamesList()).containsExactly(V1); // EDS only for the valid cluster
  }

  @Test
  void clusters_missingFromFullStateResponse_areRemoved_andTheirEndpointsUnsubscribed() throws Exception {
    skipInitialRequests();
    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1), edsCluster(V2)));
    stream.takeSotw();
    stream.takeSotw();
    stream.sendSotw(EDS, "e1", "n2", List.of(endpoints(V1, "10.1.0.1:9080"), endpoints(V2, "10.1.0.2:9080")));
    stream.takeSotw();

    stream.sendSotw(CDS, "c2", "n3", List.of(edsCluster(V1)));

    assertThat(stream.takeSotw().getVersionInfo()).isEqualTo("c2");
    DiscoveryRequest eds = stream.takeSotw();
    assertThat(eds.getTypeUrl()).isEqualTo(EDS);
    assertThat(eds.getResourceNamesList()).containsExactly(V1);
    assertThat(eds.getVersionInfo()).isEqualTo("e1");
    assertThat(eds.getResponseNonce()).isEqualTo("n2");
    assertThat(h.snapshot().clusters()).containsOnlyKeys(V1);
    assertThat(h.snapshot().endpoints()).containsOnlyKeys(V1);
  }

  @Test
  void endpoints_neverSent_becomeDoesNotExistAfterInitialFetchTimeout() throws Exception {
    skipInitialRequests();
    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));
    stream.sendSotw(LDS, "l1", "n2", List.of());
    assertThat(h.sync("ClusterLoadAssignment").resources().get(V1).status()).isEqualTo(ResourceStatus.REQUESTED);
    assertThat(h.snapshot().complete()).isFalse();

    h.clock.forward(ClientHarness.FETCH_TIMEOUT.minusMillis(1));
    assertThat(h.sync("ClusterLoadAssignment").resources().get(V1).status()).isEqualTo(ResourceStatus.REQUESTED);

    h.clock.forward(Duration.ofMillis(1));
    assertThat(h.sync("ClusterLoadAssignment").resources().get(V1).status())
        .isEqualTo(ResourceStatus.DOES_NOT_EXIST);
    assertThat(h.snapshot().complete()).isTrue();
    assertThat(h.client.whenComplete()).isCompleted();
  }

  @Test
  void identicalUpdate_isAckedButPublishesNothing() throws Exception {
    skipInitialRequests();
    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));
    int publishedBefore = h.published.size();
    long versionBefore = h.snapshot().version();

    stream.sendSotw(CDS, "c2", "n2", List.of(edsCluster(V1)));

    assertThat(stream.takeSotw().getVersionInfo()).isEqualTo("c1");
    stream.takeSotw(); // EDS subscription after c1
    assertThat(stream.takeSotw().getVersionInfo()).isEqualTo("c2");
    assertThat(h.published).hasSize(publishedBefore);
    assertThat(h.snapshot().version()).isEqualTo(versionBefore);
  }

  @Test
  void listenersRoutesClustersEndpoints_resolveIntoOneSnapshot_andWatchersSeeEachChangeOnce() throws Exception {
    skipInitialRequests();
    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));
    stream.sendSotw(EDS, "e1", "n2", List.of(endpoints(V1, "10.1.0.1:9080", "10.1.0.2:9080")));
    stream.sendSotw(LDS, "l1", "n3", List.of(sidecarListener(9080, "9080")));
    stream.sendSotw(RDS, "r1", "n4", List.of(routeTo("9080", "reviews.default.svc.cluster.local", V1)));

    var snapshot = h.snapshot();
    assertThat(snapshot.listeners()).containsOnlyKeys("0.0.0.0_9080");
    assertThat(snapshot.routes()).containsOnlyKeys("9080");
    assertThat(snapshot.endpointsOf(snapshot.clusters().get(V1)).orElseThrow().localities().get(0).endpoints())
        .hasSize(2);
    assertThat(snapshot.complete()).isTrue();
    assertThat(h.published).extracting(s -> s.version()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(h.sync("RouteConfiguration").subscribedNames()).containsExactly("9080");
  }

  @Test
  void responseOfATypeNeverSubscribed_isIgnored_notAckedAsAWildcardRequest() throws Exception {
    skipInitialRequests();

    stream.sendSotw(RDS, "r1", "n1", List.of(routeTo("9080", "reviews.default.svc.cluster.local", V1)));

    assertThat(stream.pending()).isZero();
    assertThat(h.snapshot().routes()).isEmpty();
  }

  @Test
  void watcher_readingSyncStateOnTheClientsExecutor_doesNotDeadlock() throws Exception {
    skipInitialRequests();
    List<String> versions = new java.util.concurrent.CopyOnWriteArrayList<>();
    h.client.addWatcher(s -> versions.add(h.client.syncState().types().get(0).ackedVersion()));

    stream.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));

    assertThat(versions).containsExactly("c1");
  }

  private void skipInitialRequests() throws InterruptedException {
    stream.takeSotw();
    stream.takeSotw();
  }
}
