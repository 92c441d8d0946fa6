package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.badMaglevCluster;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.testing.FakeAdsServer.NamedResource;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XdsClientDeltaTest {
  static final String V1 = clusterName(9080, "v1", "reviews.default.svc.cluster.local");
  static final String V2 = clusterName(9080, "v2", "reviews.default.svc.cluster.local");

  ClientHarness h;
  FakeAdsServer.Stream stream;

  @BeforeEach
  void start() throws Exception {
    h = new ClientHarness(XdsProtocol.AUTO, false);
    h.client.start();
    stream = h.server.nextStream();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void start_auto_usesDelta_withLegacyWildcardForCdsAndLds() throws Exception {
    assertThat(stream.isDelta()).isTrue();
    DeltaDiscoveryRequest cds = stream.takeDelta();
    DeltaDiscoveryRequest lds = stream.takeDelta();

    assertThat(cds.getTypeUrl()).isEqualTo(CDS);
    assertThat(cds.getResourceNamesSubscribeList()).isEmpty();
    assertThat(cds.getInitialResourceVersionsMap()).isEmpty();
    assertThat(cds.getNode().getId()).startsWith("sidecar~10.0.0.7~");
    assertThat(lds.getTypeUrl()).isEqualTo(LDS);
    assertThat(lds.hasNode()).isFalse();
  }

  @Test
  void response_valid_ackCarriesOnlyTheNonce_andEndpointsAreSubscribedByName() throws Exception {
    skipInitialRequests();

    stream.sendDelta(CDS, "n1", List.of(NamedResource.of(V1, "7", edsCluster(V1))), List.of());

    DeltaDiscoveryRequest ack = stream.takeDelta();
    assertThat(ack.getTypeUrl()).isEqualTo(CDS);
    assertThat(ack.getResponseNonce()).isEqualTo("n1");
    assertThat(ack.hasErrorDetail()).isFalse();
    assertThat(ack.getResourceNamesSubscribeList()).isEmpty();
    DeltaDiscoveryRequest eds = stream.takeDelta();
    assertThat(eds.getTypeUrl()).isEqualTo(EDS);
    assertThat(eds.getResourceNamesSubscribeList()).containsExactly(V1);
    assertThat(h.sync("Cluster").resources().get(V1).version()).isEqualTo("7");
  }

  @Test
  void response_partiallyInvalid_nackedWithPathQualifiedReason_validOneApplied() throws Exception {
    skipInitialRequests();

    stream.sendDelta(CDS, "n1", List.of(NamedResource.of(V1, "1", edsCluster(V1)),
        NamedResource.of(V2, "1", badMaglevCluster(V2))), List.of());

    DeltaDiscoveryRequest nack = stream.takeDelta();
    assertThat(nack.getResponseNonce()).isEqualTo("n1");
    assertThat(nack.getErrorDetail().getMessage()).isEqualTo(
        "Cluster 'outbound|9080|v2|reviews.default.svc.cluster.local': lb_policy MAGLEV: table_size must be prime,"
            + " was 100");
    assertThat(h.snapshot().clusters()).containsOnlyKeys(V1);
  }

  @Test
  void removedResources_ofAWildcardType_areForgottenNotErrors_andTheirEndpointsUnsubscribed() throws Exception {
    skipInitialRequests();
    stream.sendDelta(CDS, "n1", List.of(NamedResource.of(V1, "1", edsCluster(V1)),
        NamedResource.of(V2, "1", edsCluster(V2))), List.of());
    stream.takeDelta();
    stream.takeDelta();

    stream.sendDelta(CDS, "n2", List.of(), List.of(V2));

    DeltaDiscoveryRequest ack = stream.takeDelta();
    assertThat(ack.hasErrorDetail()).isFalse();
    DeltaDiscoveryRequest eds = stream.takeDelta();
    assertThat(eds.getResourceNamesUnsubscribeList()).containsExactly(V2);
    assertThat(eds.getResourceNamesSubscribeList()).isEmpty();
    assertThat(h.snapshot().clusters()).containsOnlyKeys(V1);
    assertThat(h.sync("Cluster").resources()).containsOnlyKeys(V1);
    assertThat(h.sync("Cluster").lastNack()).isEmpty();
  }

  @Test
  void removedEndpoints_ofASubscribedName_areReportedRemoved() throws Exception {
    skipInitialRequests();
    stream.sendDelta(CDS, "n1", List.of(NamedResource.of(V1, "1", edsCluster(V1))), List.of());
    stream.sendDelta(EDS, "n2", List.of(NamedResource.of(V1, "1", endpoints(V1, "10.1.0.1:9080"))), List.of());
    assertThat(h.snapshot().endpoints()).containsOnlyKeys(V1);

    stream.sendDelta(EDS, "n3", List.of(), List.of(V1));

    assertThat(h.snapshot().endpoints()).isEmpty();
    assertThat(h.sync("ClusterLoadAssignment").resources().get(V1).status()).isEqualTo(ResourceStatus.REMOVED);
    assertThat(h.sync("ClusterLoadAssignment").subscribedNames()).containsExactly(V1);
  }

  private void skipInitialRequests() throws InterruptedException {
    stream.takeDelta();
    stream.takeDelta();
  }
}
