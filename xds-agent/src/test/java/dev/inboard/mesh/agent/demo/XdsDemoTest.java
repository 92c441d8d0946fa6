package dev.inboard.mesh.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class XdsDemoTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Path CONFIG = Path.of("../examples/bookinfo/istio");

  @Test
  void demo_servesBookinfoFromTheLocalControlPlane_adminPageShowsIt_andShiftsArrive() throws Exception {
    try (XdsDemo demo = XdsDemo.start(CONFIG, 0, 0, 0)) {
      MeshSnapshot snapshot = demo.awaitReady(Duration.ofSeconds(20));
      assertThat(snapshot.clusters()).containsKeys(
          "outbound|9080|v1|reviews.default.svc.cluster.local",
          "outbound|9080|v3|reviews.default.svc.cluster.local",
          "outbound|9080||details.default.svc.cluster.local");
      assertThat(snapshot.endpoints().get("outbound|9080|v2|reviews.default.svc.cluster.local").localities()
          .get(0).endpoints().get(0).address().host()).isEqualTo("127.0.0.42");
      assertThat(v1Weight(snapshot)).isEqualTo(50);

      String base = "http://127.0.0.1:" + demo.adminAddress().getPort();
      assertThat(get(base + "/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> page = get(base + "/");
      assertThat(page.body()).contains("outbound|9080|v2|reviews.default.svc.cluster.local", "CONNECTED",
          "127.0.0.43:9080");
      HttpResponse<String> dump = get(base + "/config_dump");
      assertThat(dump.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(dump.body()).contains("\"type\" : \"Forward\"", "virtualInbound");
      assertThat(get(base + "/nope").statusCode()).isEqualTo(404);

      assertThat(demo.shiftReviews()).isEqualTo(80);
      await().atMost(Duration.ofSeconds(10)).until(() -> v1Weight(demo.snapshot()) == 80);
      HttpResponse<String> status = get("http://127.0.0.1:" + demo.apiAddress().getPort() + "/v1/proxy-status");
      assertThat(status.body()).contains("productpage-v1-demo.default", "reviews-v3-demo.default");
    }
  }

  private static long v1Weight(MeshSnapshot snapshot) {
    var reviews = snapshot.routes().get("9080").virtualHosts().stream()
        .filter(v -> v.name().startsWith("reviews.")).findFirst().orElseThrow();
    var split = (RouteAction.Forward) reviews.routes().get(0).action();
    var weighted = (RouteAction.ClusterSpecifier.Weighted) split.cluster();
    return weighted.clusters().get(0).weight();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
