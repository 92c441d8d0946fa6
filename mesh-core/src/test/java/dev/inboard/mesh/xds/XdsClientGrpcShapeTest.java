package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.RDS;
import static dev.inboard.mesh.testing.XdsFixtures.apiListener;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.weightedRoute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeAdsServer;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grpc generator's shape: everything by name, starting from the listeners the application asks for. */
class XdsClientGrpcShapeTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String LISTENER = HOST + ":9080";
  static final String ROUTE = clusterName(9080, "", HOST);
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);

  @Test
  void namedListener_resolvesRoutesClustersAndEndpointsByName() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, true)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();
      h.client.watchListener(LISTENER);

      DiscoveryRequest lds = s.takeSotw();
      assertThat(lds.getTypeUrl()).isEqualTo(LDS);
      assertThat(lds.getResourceNamesList()).containsExactly(LISTENER);

      s.sendSotw(LDS, "1", "a", List.of(apiListener(LISTENER, ROUTE)));
      s.takeSotw(); // ACK
      DiscoveryRequest rds = s.takeSotw();
      assertThat(rds.getTypeUrl()).isEqualTo(RDS);
      assertThat(rds.getResourceNamesList()).containsExactly(ROUTE);

      s.sendSotw(RDS, "1", "b", List.of(weightedRoute(ROUTE, HOST, V1, 80, V2, 20)));
      s.takeSotw();
      DiscoveryRequest cds = s.takeSotw();
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      assertThat(cds.getResourceNamesList()).containsExactly(V1, V2);

      s.sendSotw(CDS, "1", "c", List.of(edsCluster(V1), edsCluster(V2)));
      s.takeSotw();
      DiscoveryRequest eds = s.takeSotw();
      assertThat(eds.getTypeUrl()).isEqualTo(EDS);
      assertThat(eds.getResourceNamesList()).containsExactly(V1, V2);

      s.sendSotw(EDS, "1", "d", List.of(endpoints(V1, "10.1.0.1:9080"), endpoints(V2, "10.1.0.2:9080")));

      assertThat(h.snapshot().complete()).isTrue();
      assertThat(h.snapshot().listeners()).containsOnlyKeys(LISTENER);
      assertThat(h.snapshot().endpoints()).containsOnlyKeys(V1, V2);
    }
  }

  @Test
  void namedListener_absentFromFullStateResponse_isDoesNotExistAtOnce() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, true)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();
      h.client.watchListener(LISTENER);
      s.takeSotw();

      s.sendSotw(LDS, "1", "a", List.of());

      assertThat(h.sync("Listener").resources().get(LISTENER).status()).isEqualTo(ResourceStatus.DOES_NOT_EXIST);
      assertThat(h.snapshot().complete()).isTrue();
    }
  }

  @Test
  void namedListener_neverAnswered_isDoesNotExistAfterTimeout() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.DELTA, true)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();
      h.client.watchListener(LISTENER);
      assertThat(s.takeDelta().getResourceNamesSubscribeList()).containsExactly(LISTENER);

      h.clock.forward(ClientHarness.FETCH_TIMEOUT);

      assertThat(h.sync("Listener").resources().get(LISTENER).status()).isEqualTo(ResourceStatus.DOES_NOT_EXIST);
      assertThat(h.client.whenComplete()).isCompleted();
      h.client.unwatchListener(LISTENER);
      assertThat(s.takeDelta().getResourceNamesUnsubscribeList()).containsExactly(LISTENER);
      h.clock.forward(Duration.ofMinutes(1));
      assertThat(h.sync("Listener").resources()).isEmpty();
    }
  }
}
