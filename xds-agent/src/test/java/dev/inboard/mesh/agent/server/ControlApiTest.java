package dev.inboard.mesh.agent.server;

import static dev.inboard.mesh.agent.server.ControlPlaneHarness.RATINGS;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.complete;
import static dev.inboard.mesh.agent.server.ControlPlaneHarness.workload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.server.api.ApiJson;
import dev.inboard.mesh.xds.XdsProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API over loopback HTTP. */
class ControlApiTest {
  static final String RATINGS_CLUSTER = EdsPerServiceGenerator.cluster(9080, "ratings.default.svc.cluster.local");
  static final String TYPO = """
      apiVersion: networking.istio.io/v1
      kind: VirtualServce
      metadata: {name: typo}
      """;

  @TempDir
  Path tempDir;
  ControlPlaneHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new ControlPlaneHarness(tempDir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void invalidApply_isRefusedWhole_with400AndTheProblems_andTheLastGoodConfigKeepsServing() throws Exception {
    complete(h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO));
    String body = ApiJson.MAPPER.writeValueAsString(ApiJson.MAPPER.createObjectNode().set("files",
        ApiJson.MAPPER.createArrayNode()
            .add(ApiJson.MAPPER.createObjectNode().put("source", "ratings.yaml").put("yaml", RATINGS))
            .add(ApiJson.MAPPER.createObjectNode().put("source", "typo.yaml").put("yaml", TYPO))));

    var response = h.post("/v1/apply", "application/json", body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode json = ApiJson.MAPPER.readTree(response.body());
    assertThat(json.path("accepted").asBoolean()).isFalse();
    assertThat(texts(json.path("problems"), "text")).containsExactly("typo.yaml: VirtualServce default/typo: kind: "
        + "unknown kind for networking.istio.io; known: [VirtualService, DestinationRule, ServiceEntry, "
        + "WorkloadEntry, Sidecar] (value: VirtualServce)");
    assertThat(json.path("changes")).isEmpty();
    assertThat(h.cp.config().get("Service/default/ratings")).isEmpty();
    h.clock.forward(Duration.ofMillis(100));
    assertThat(h.cp.servedTo("productpage-v1-1.default").xds().clusters())
        .extracting(c -> c.getName()).doesNotContain(RATINGS_CLUSTER);
  }

  @Test
  void delete_removesWhatItNames_andReportsWhatWasNotThere() throws Exception {
    var response = h.post("/v1/delete?source=gone.yaml", "application/yaml", ControlPlaneHarness.SERVICES
        + "---\n" + RATINGS);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = ApiJson.MAPPER.readTree(response.body());
    assertThat(texts(json.path("changes"), "resource"))
        .containsExactly("Service default/productpage", "Service default/reviews");
    assertThat(texts(json.path("changes"), "action")).containsOnly("deleted");
    assertThat(texts(json.path("notFound"), null)).containsExactly("Service default/ratings");
    assertThat(h.cp.config().size()).isZero();
  }

  @Test
  void proxyStatus_listsConnectedProxiesWithTheirSyncStatePerType() throws Exception {
    complete(h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.SOTW));

    JsonNode json = ApiJson.MAPPER.readTree(h.get("/v1/proxy-status").body());

    JsonNode proxy = json.path("proxies").get(0);
    assertThat(proxy.path("name").asText()).isEqualTo("productpage-v1-1.default");
    assertThat(proxy.path("nodeId").asText())
        .isEqualTo("sidecar~10.0.0.1~productpage-v1-1.default~default.svc.cluster.local");
    assertThat(proxy.path("workload").asText()).isEqualTo("productpage-v1");
    assertThat(proxy.path("protocol").asText()).isEqualTo("SOTW");
    assertThat(proxy.path("registered").asBoolean()).isTrue();
    assertThat(texts(proxy.path("types"), "type")).containsExactly("CDS", "LDS", "EDS", "RDS");
    assertThat(proxy.path("types").get(0).path("sentVersion").asText()).hasSize(16);
  }

  @Test
  void proxyConfig_ofAConnectedProxy_showsWhatItIsServedAsProtojson() throws Exception {
    complete(h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO));

    var response = h.get("/v1/proxy-config?type=endpoints&proxy=productpage-v1-1.default");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = ApiJson.MAPPER.readTree(response.body());
    assertThat(json.path("connected").asBoolean()).isTrue();
    assertThat(json.has("clusters")).isFalse();
    JsonNode productpage = json.path("endpoints").get(0);
    assertThat(productpage.path("clusterName").asText())
        .isEqualTo("outbound|9080||productpage.default.svc.cluster.local");
    assertThat(productpage.at("/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress/address").asText())
        .isEqualTo("10.0.0.1");
    assertThat(productpage.at("/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress/portValue").asInt())
        .isEqualTo(9080);
  }

  @Test
  void proxyConfig_ofADescribedWorkload_isGeneratedWithoutItConnecting() throws Exception {
    var response = h.get("/v1/proxy-config?type=all&namespace=default&labels=app%3Dreviews,version%3Dv1"
        + "&serviceAccount=bookinfo-reviews");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = ApiJson.MAPPER.readTree(response.body());
    assertThat(json.path("connected").asBoolean()).isFalse();
    assertThat(json.path("proxy").asText()).isEqualTo("meshctl-described.default");
    assertThat(texts(json.path("clusters"), "name")).containsExactly(
        "outbound|9080||productpage.default.svc.cluster.local", "outbound|9080||reviews.default.svc.cluster.local");
    assertThat(texts(json.path("listeners"), "name")).containsExactly("0.0.0.0_9080");
    assertThat(json.path("listeners").get(0).at("/filterChains/0/filters/0/typedConfig/@type").asText())
        .isEqualTo("type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
            + ".HttpConnectionManager");
    assertThat(texts(json.path("routes"), "name")).containsExactly("9080");
  }

  @Test
  void proxyConfig_unknownProxy_is404NamingTheConnectedOnes_andBadArgumentsAre400() throws Exception {
    complete(h.connect(workload("productpage-v1-1", "productpage", "10.0.0.1"), XdsProtocol.AUTO));

    var unknown = h.get("/v1/proxy-config?type=clusters&proxy=nope.default");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(ApiJson.MAPPER.readTree(unknown.body()).path("error").asText())
        .isEqualTo("no connected proxy nope.default; connected: productpage-v1-1.default");

    var byWorkload = h.get("/v1/proxy-config?type=clusters&proxy=productpage-v1.default");
    assertThat(byWorkload.statusCode()).isEqualTo(200);

    var badType = h.get("/v1/proxy-config?type=secrets&proxy=productpage-v1-1.default");
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(ApiJson.MAPPER.readTree(badType.body()).path("error").asText())
        .isEqualTo("type must be one of listeners, routes, clusters, endpoints, all; was 'secrets'");

    var badLabels = h.get("/v1/proxy-config?namespace=default&labels=app");
    assertThat(badLabels.statusCode()).isEqualTo(400);
    assertThat(h.get("/v1/apply").statusCode()).isEqualTo(405);
    assertThat(h.get("/v2/nothing").statusCode()).isEqualTo(404);
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
    return out;
  }
}
