package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.testing.FakeAdsServer.NamedResource;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class XdsClientReconnectTest {
  static final String V1 = clusterName(9080, "v1", "reviews.default.svc.cluster.local");

  @Test
  void delta_streamLost_keepsLastGoodSnapshot_andResubscribesWithInitialVersionsAfterBackoff() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.DELTA, false)) {
      h.client.start();
      FakeAdsServer.Stream first = h.server.nextStream();
      first.takeDelta();
      first.takeDelta();
      first.sendDelta(CDS, "n1", List.of(NamedResource.of(V1, "c7", edsCluster(V1))), List.of());
      first.sendDelta(EDS, "n2", List.of(NamedResource.of(V1, "e3", endpoints(V1, "10.1.0.1:9080"))), List.of());
      var before = h.snapshot();

      first.fail(Status.UNAVAILABLE.withDescription("connection reset"));

      assertThat(h.snapshot()).isSameAs(before);
      assertThat(h.client.syncState().connection()).isEqualTo(XdsSyncState.ConnectionState.BACKING_OFF);
      assertThat(h.server.noMoreStreams()).isTrue();
      Duration delay = h.clock.pendingDelays().get(0);
      assertThat(delay).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));

      h.clock.forward(delay);

      FakeAdsServer.Stream second = h.server.nextStream();
      DeltaDiscoveryRequest cds = second.takeDelta();
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      assertThat(cds.getNode().getId()).isEqualTo(ClientHarness.NODE.getId());
      assertThat(cds.getInitialResourceVersionsMap()).containsExactly(java.util.Map.entry(V1, "c7"));
      DeltaDiscoveryRequest eds = second.takeDelta();
      assertThat(eds.getTypeUrl()).isEqualTo(EDS);
      assertThat(eds.getResourceNamesSubscribeList()).containsExactly(V1);
      assertThat(eds.getInitialResourceVersionsMap()).containsExactly(java.util.Map.entry(V1, "e3"));
      assertThat(second.takeDelta().getTypeUrl()).isEqualTo(LDS);
      assertThat(h.snapshot()).isSameAs(before);

      second.sendDelta(CDS, "m1", List.of(NamedResource.of(V1, "c7", edsCluster(V1))), List.of());
      assertThat(h.client.syncState().connection()).isEqualTo(XdsSyncState.ConnectionState.CONNECTED);
      assertThat(h.snapshot()).isSameAs(before);
    }
  }

  @Test
  void sotw_reconnect_resendsLastAckedVersionAndNamesWithoutNonce() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, false)) {
      h.client.start();
      FakeAdsServer.Stream first = h.server.nextStream();
      first.takeSotw();
      first.takeSotw();
      first.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));

      first.fail(Status.UNAVAILABLE);
      h.clock.forward(h.clock.pendingDelays().get(0));

      FakeAdsServer.Stream second = h.server.nextStream();
      DiscoveryRequest cds = second.takeSotw();
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      assertThat(cds.getVersionInfo()).isEqualTo("c1");
      assertThat(cds.getResponseNonce()).isEmpty();
      assertThat(cds.hasNode()).isTrue();
      DiscoveryRequest eds = second.takeSotw();
      assertThat(eds.getTypeUrl()).isEqualTo(EDS);
      assertThat(eds.getResourceNamesList()).containsExactly(V1);
    }
  }

  @Test
  void repeatedFailures_backOffExponentiallyWithJitter_andResetAfterAResponse() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, false)) {
      h.client.start();
      double[] expected = {1.0, 1.6, 2.56, 4.096};
      for (double seconds : expected) {
        FakeAdsServer.Stream s = h.server.nextStream();
        s.fail(Status.UNAVAILABLE);
        Duration delay = h.clock.pendingDelays().get(0);
        assertThat(delay.toNanos() / 1e9).isBetween(seconds * 0.8, seconds * 1.2);
        h.clock.forward(delay);
      }
      FakeAdsServer.Stream s = h.server.nextStream();
      s.sendSotw(CDS, "c1", "n1", List.of(edsCluster(V1)));
      s.fail(Status.UNAVAILABLE);
      assertThat(h.clock.pendingDelays().get(0)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    }
  }

  @Test
  void auto_serverWithoutDelta_fallsBackToStateOfTheWorldImmediately() throws Exception {
    FakeAdsServer server = new FakeAdsServer();
    server.refuseDelta();
    try (ClientHarness h = new ClientHarness(XdsProtocol.AUTO, false, server)) {
      h.client.start();

      FakeAdsServer.Stream s = h.server.nextStream();

      assertThat(s.isDelta()).isFalse();
      assertThat(s.takeSotw().getTypeUrl()).isEqualTo(CDS);
      assertThat(h.client.syncState().protocol()).isEqualTo(XdsProtocol.SOTW);
    }
  }

  @Test
  void close_stopsReconnecting() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, false)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();
      s.fail(Status.UNAVAILABLE);

      h.client.close();
      h.clock.forward(Duration.ofMinutes(5));

      assertThat(h.server.noMoreStreams()).isTrue();
      assertThat(h.client.syncState().connection()).isEqualTo(XdsSyncState.ConnectionState.SHUTDOWN);
    }
  }
}
