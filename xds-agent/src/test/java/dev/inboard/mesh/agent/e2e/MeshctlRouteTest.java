package dev.inboard.mesh.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inboard.mesh.agent.cli.Meshctl;
import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.YamlSource;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshctl route} against the local control plane serving Bookinfo's own YAML. */
class MeshctlRouteTest {
  static final Path SAMPLES = Path.of("src/test/resources/istio/bookinfo");
  static final String REVIEWS = "reviews.default.svc.cluster.local";

  LocalControlPlane cp;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    Files.copy(SAMPLES.resolve("platform/kube/bookinfo.yaml"), dir.resolve("bookinfo.yaml"));
    Files.copy(SAMPLES.resolve("networking/destination-rule-all.yaml"), dir.resolve("dr.yaml"));
    Files.copy(SAMPLES.resolve("networking/virtual-service-reviews-80-20.yaml"), dir.resolve("vs.yaml"));
    ServerComponents components = ServerComponents.standard();
    cp = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(0).apiPort(0).configDir(dir).build(),
        components.registryBuilder(), components.generator());
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  @Test
  void reviews8020_splitsAboutEightyTwenty_withIstiodsRetryPolicy() throws Exception {
    JsonNode json = route("GET", "http://reviews:9080/reviews/0", "--samples", "1000");

    assertThat(json.path("virtualHost").asText()).isEqualTo(REVIEWS + ":9080");
    long v1 = json.path("clusters").path("outbound|9080|v1|" + REVIEWS).asLong();
    long v2 = json.path("clusters").path("outbound|9080|v2|" + REVIEWS).asLong();
    assertThat(v1 + v2).isEqualTo(1000);
    // 80/20 over 1,000 draws: sigma = 12.6, so +/- 60 is about 4.7 sigma.
    assertThat(v1).isBetween(740L, 860L);
    assertThat(json.path("timeoutMs").isNull()).isTrue();
    assertThat(json.path("retryPolicy").path("numRetries").asInt()).isEqualTo(2);
    assertThat(json.path("retryPolicy").path("retryOn").toString()).contains("connect-failure", "refused-stream");
    assertThat(json.path("failure").isNull()).isTrue();
    assertThat(json.path("nacks")).isEmpty();
    // The dry run may still be listed as connected until its disconnect is processed, but never as a workload.
    assertThat(cp.proxyStatus()).as("the dry run connects without registering as a workload")
        .noneMatch(p -> p.name().startsWith("meshctl-route") && p.registered());
  }

  @Test
  void jason_goesToV2_othersToV1_underTheTestV2VirtualService() throws Exception {
    cp.apply(List.of(new YamlSource("test-v2.yaml",
        Files.readString(SAMPLES.resolve("networking/virtual-service-reviews-test-v2.yaml")))));

    JsonNode jason = route("GET", "http://reviews:9080/reviews/0", "-H", "end-user: jason", "--samples", "50");
    JsonNode other = route("GET", "http://reviews:9080/reviews/0", "--samples", "50");

    assertThat(jason.path("clusters").toString()).isEqualTo("{\"outbound|9080|v2|" + REVIEWS + "\":50}");
    assertThat(other.path("clusters").toString()).isEqualTo("{\"outbound|9080|v1|" + REVIEWS + "\":50}");
  }

  @Test
  void unknownHost_isAFailureWithItsResponseFlag_orPassthrough() throws Exception {
    JsonNode json = route("GET", "http://nowhere.example.com:9080/", "--samples", "5");

    assertThat(json.path("clusters").toString()).isEqualTo("{\"PassthroughCluster\":5}")
        .as("istiod's allow_any virtual host sends unknown hosts to the passthrough cluster");
  }

  private JsonNode route(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("route"));
    all.addAll(List.of(args));
    all.addAll(List.of("--xds-address", "127.0.0.1:" + cp.xdsAddress().getPort(), "--labels", "app=productpage"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Meshctl.commandLine(ServerComponents.standard(), new ByteArrayInputStream(new byte[0]));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(all.toArray(String[]::new));
    assertThat(exit).as("meshctl route failed: " + err).isZero();
    return new ObjectMapper().readTree(out.toString());
  }
}
