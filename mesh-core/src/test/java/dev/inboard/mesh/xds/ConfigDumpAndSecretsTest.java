package dev.inboard.mesh.xds;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.badMaglevCluster;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.mtlsCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.admin.ConfigDump;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.TlsContext;
import dev.inboard.mesh.testing.FakeAdsServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDumpAndSecretsTest {
  static final String RATINGS = clusterName(9080, "", "ratings.default.svc.cluster.local");
  static final String REVIEWS = clusterName(9080, "v2", "reviews.default.svc.cluster.local");
  static final String SPIFFE = "spiffe://cluster.local/ns/default/sa/bookinfo-ratings";

  @Test
  void autoMtlsCluster_mapsSdsNamesToWorkloadAndRootCertificateSources() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, false)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();

      s.sendSotw(CDS, "1", "a", List.of(mtlsCluster(RATINGS, SPIFFE)));

      assertThat(h.snapshot().secrets()).containsExactlyInAnyOrder(
          new SecretRef.WorkloadCertificate("default"), new SecretRef.RootCertificate("ROOTCA"));
      TlsContext.Upstream tls = h.snapshot().clusters().get(RATINGS).transportSocketMatches().get(0).tls()
          .orElseThrow();
      assertThat(tls.common().subjectAltNameMatchers()).containsExactly(new StringMatcher.Exact(SPIFFE, false));
      assertThat(tls.common().alpnProtocols()).containsExactly("istio-peer-exchange", "istio");
    }
  }

  @Test
  void configDump_showsSnapshotAndPerTypeSyncStateWithNackReason() throws Exception {
    try (ClientHarness h = new ClientHarness(XdsProtocol.SOTW, false)) {
      h.client.start();
      FakeAdsServer.Stream s = h.server.nextStream();
      s.sendSotw(CDS, "1", "a", List.of(mtlsCluster(RATINGS, SPIFFE)));
      s.sendSotw(CDS, "2", "b", List.of(mtlsCluster(RATINGS, SPIFFE), badMaglevCluster(REVIEWS)));

      JsonNode dump = ConfigDump.mapper().readTree(ConfigDump.toJson(h.snapshot(), h.client.syncState()));

      JsonNode cluster = dump.at("/snapshot/clusters/" + RATINGS.replace("/", "~1"));
      assertThat(cluster.at("/name").asText()).isEqualTo(RATINGS);
      assertThat(cluster.at("/discovery/type").asText()).isEqualTo("Eds");
      assertThat(cluster.at("/connectTimeout").asText()).isEqualTo("PT10S");
      JsonNode cds = dump.at("/xds/types/0");
      assertThat(cds.at("/kind").asText()).isEqualTo("Cluster");
      assertThat(cds.at("/ackedVersion").asText()).isEqualTo("1");
      assertThat(cds.at("/lastNack/version").asText()).isEqualTo("2");
      assertThat(cds.at("/lastNack/reason").asText())
          .isEqualTo("Cluster '" + REVIEWS + "': lb_policy MAGLEV: table_size must be prime, was 100");
      assertThat(cds.at("/resources/" + REVIEWS.replace("/", "~1") + "/status").asText()).isEqualTo("NACKED");
      assertThat(dump.at("/xds/server").asText()).isEqualTo("fake-istiod");
      assertThat(dump.at("/snapshot/secrets").toString()).contains("\"type\":\"WorkloadCertificate\"");
    }
  }
}
