package dev.inboard.mesh.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.server.ControlPlaneHarness;
import dev.inboard.mesh.agent.server.EdsPerServiceGenerator;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.ServiceSelectingRegistry;
import dev.inboard.mesh.xds.XdsClient;
import dev.inboard.mesh.xds.XdsProtocol;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every verb of {@code meshctl}, run in-process against a running control plane. */
class MeshctlTest {
  static final Duration DEBOUNCE = Duration.ofMillis(100);

  @TempDir
  Path tempDir;
  ControlPlaneHarness h;
  String server;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    h = new ControlPlaneHarness(tempDir);
    server = "127.0.0.1:" + h.cp.apiAddress().getPort();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static Run run(ServerComponents components, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Meshctl.commandLine(components,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return run(new ServerComponents(new ServiceSelectingRegistry(), new EdsPerServiceGenerator()), "", args);
  }

  XdsClient productpage() throws Exception {
    XdsClient a = h.connect(ControlPlaneHarness.workload("productpage-v1-1", "productpage", "10.0.0.1"),
        XdsProtocol.AUTO);
    ControlPlaneHarness.complete(a);
    return a;
  }

  @Test
  void serve_runsTheControlPlaneUntilItIsClosed_andOtherVerbsReachIt() throws Exception {
    Files.writeString(tempDir.resolve("ratings.yaml"), ControlPlaneHarness.RATINGS);
    CompletableFuture<LocalControlPlane> started = new CompletableFuture<>();
    ServerComponents components = new ServerComponents(new ServiceSelectingRegistry(), new EdsPerServiceGenerator(),
        started::complete);
    CompletableFuture<Run> serve = CompletableFuture.supplyAsync(() -> run(components, "", "serve",
        "--config-dir", tempDir.toString(), "--xds-port", "0", "--api-port", "0"));
    LocalControlPlane cp = started.get(10, TimeUnit.SECONDS);

    Run status = run("proxy-status", "--server", "127.0.0.1:" + cp.apiAddress().getPort());
    assertThat(status.exit()).isZero();
    assertThat(status.out()).isEqualTo("No proxies are connected.\n");
    assertThat(cp.config().get("Service/default/ratings")).isPresent();

    cp.close();
    Run served = serve.get(10, TimeUnit.SECONDS);
    assertThat(served.exit()).isZero();
    assertThat(served.out()).isEqualTo("Serving " + tempDir + " (3 resources): xDS on 127.0.0.1:"
        + cp.xdsAddress().getPort() + ", control API on 127.0.0.1:" + cp.apiAddress().getPort() + ". Ctrl-C stops.\n");
  }

  @Test
  void serve_badArguments_exit2WithAClearMessage() {
    Run missing = run("serve");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("Missing required option: '--config-dir=DIR'");

    Run notADir = run("serve", "--config-dir", tempDir.resolve("nope").toString());
    assertThat(notADir.exit()).isEqualTo(2);
    assertThat(notADir.err()).startsWith("--config-dir " + tempDir.resolve("nope") + ": not a directory");

    Run badPort = run("serve", "--config-dir", tempDir.toString(), "--xds-port", "70000");
    assertThat(badPort.exit()).isEqualTo(2);
    assertThat(badPort.err()).startsWith("xdsPort must be in [0, 65535], was 70000");
  }

  @Test
  void apply_printsWhatChanged_andRefusesInvalidConfigWhole() throws Exception {
    Path ratings = Files.writeString(tempDir.resolve("ratings.yaml"), ControlPlaneHarness.RATINGS);

    Run applied = run("apply", "-f", ratings.toString(), "--server", server);
    assertThat(applied.exit()).isZero();
    assertThat(applied.out()).isEqualTo("Service default/ratings created\n");
    assertThat(run("apply", "-f", ratings.toString(), "--server", server).out())
        .isEqualTo("Service default/ratings unchanged\n");

    Path dir = Files.createDirectories(tempDir.resolve("change"));
    Files.writeString(dir.resolve("a.yaml"), ControlPlaneHarness.RATINGS.replace("ratings", "details"));
    Files.writeString(dir.resolve("b.yaml"), "apiVersion: networking.istio.io/v1\nkind: VirtualServce\n"
        + "metadata: {name: typo}\n");
    Run refused = run("apply", "-f", dir.toString(), "--server", server);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo(dir.resolve("b.yaml") + ": VirtualServce default/typo: kind: unknown kind "
        + "for networking.istio.io; known: [VirtualService, DestinationRule, ServiceEntry, WorkloadEntry, Sidecar] "
        + "(value: VirtualServce)\n"
        + "error: refused, nothing was changed: 1 problem(s)\n");
    assertThat(h.cp.config().get("Service/default/details")).isEmpty();

    Run json = run(new ServerComponents(new ServiceSelectingRegistry(), new EdsPerServiceGenerator()),
        ControlPlaneHarness.RATINGS.replace("ratings", "details"), "apply", "-f", "-", "-o", "json",
        "--server", server);
    assertThat(json.exit()).isZero();
    assertThat(json.out()).contains("\"accepted\" : true", "\"resource\" : \"Service default/details\"");
  }

  @Test
  void delete_printsWhatWasDeleted_andFailsForWhatWasNotThere() throws Exception {
    Path file = Files.writeString(tempDir.resolve("gone.yaml"),
        ControlPlaneHarness.SERVICES + "---\n" + ControlPlaneHarness.RATINGS);

    Run deleted = run("delete", "-f", file.toString(), "--server", server);

    assertThat(deleted.exit()).isEqualTo(1);
    assertThat(deleted.out()).isEqualTo("Service default/productpage deleted\nService default/reviews deleted\n");
    assertThat(deleted.err()).isEqualTo("error: Service default/ratings not found\n");
    assertThat(h.cp.config().size()).isZero();
  }

  @Test
  void proxyStatus_tableShowsSyncStatePerType_andNackReasons() throws Exception {
    productpage();
    h.clock.forward(DEBOUNCE);
    await().atMost(Duration.ofSeconds(10)).until(() -> run("proxy-status", "--server", server).out()
        .contains("SYNCED   SYNCED   SYNCED   SYNCED"));

    Run status = run("proxy-status", "--server", server);
    assertThat(status.exit()).isZero();
    assertThat(status.out()).isEqualTo("""
        NAME                       CLUSTER      CDS      LDS      EDS      RDS      PROTOCOL   REGISTERED
        productpage-v1-1.default   Kubernetes   SYNCED   SYNCED   SYNCED   SYNCED   DELTA      yes
        """);

    String invalid = ControlPlaneHarness.SERVICES.replace("metadata: {name: reviews, namespace: default}",
        "metadata: {name: reviews, namespace: default, annotations: {test.inboard.dev/invalid-cluster: "
            + "reviews.default.svc.cluster.local}}");
    assertThat(run(new ServerComponents(new ServiceSelectingRegistry(), new EdsPerServiceGenerator()), invalid,
        "apply", "-f", "-", "--server", server).exit()).isZero();
    h.clock.forward(DEBOUNCE);
    await().atMost(Duration.ofSeconds(10)).until(() -> run("proxy-status", "--server", server).out()
        .contains("NACKED"));
    Run nacked = run("proxy-status", "--server", server);
    String cdsVersion = h.status("productpage-v1-1.default").type("CDS").orElseThrow().sentVersion();
    assertThat(nacked.out()).contains("productpage-v1-1.default   Kubernetes   NACKED   SYNCED   SYNCED   SYNCED")
        .endsWith("\nproductpage-v1-1.default CDS NACKED version " + cdsVersion + ": Cluster "
            + "'outbound|9080||reviews.default.svc.cluster.local': lb_policy MAGLEV: table_size must be prime, "
            + "was 100\n");

    Run json = run("proxy-status", "-o", "json", "--server", server);
    assertThat(json.out()).contains("\"state\" : \"NACKED\"", "\"message\" : \"Cluster 'outbound|9080||reviews");
  }

  @Test
  void proxyConfig_tablesOfAConnectedWorkload() throws Exception {
    productpage();

    Run clusters = run("proxy-config", "clusters", "productpage-v1-1.default", "--server", server);
    assertThat(clusters.exit()).isZero();
    assertThat(clusters.out()).isEqualTo("""
        SERVICE FQDN                            PORT   SUBSET   DIRECTION   TYPE   DESTINATION RULE
        productpage.default.svc.cluster.local   9080   -        outbound    EDS
        reviews.default.svc.cluster.local       9080   -        outbound    EDS
        """);

    Run all = run("proxy-config", "all", "productpage-v1-1.default", "--server", server);
    assertThat(all.out()).isEqualTo("""
        NAME           ADDRESS   PORT   MATCH   DESTINATION
        0.0.0.0_9080   0.0.0.0   9080   ALL     Route: 9080

        NAME   VHOST NAME                                   DOMAINS                                         \
        MATCH   VIRTUAL SERVICE
        9080   productpage.default.svc.cluster.local:9080   productpage.default.svc.cluster.local +1 more   /*
        9080   reviews.default.svc.cluster.local:9080       reviews.default.svc.cluster.local +1 more       /*

        SERVICE FQDN                            PORT   SUBSET   DIRECTION   TYPE   DESTINATION RULE
        productpage.default.svc.cluster.local   9080   -        outbound    EDS
        reviews.default.svc.cluster.local       9080   -        outbound    EDS

        ENDPOINT        STATUS    LOCALITY   CLUSTER
        10.0.0.1:9080   HEALTHY   -          outbound|9080||productpage.default.svc.cluster.local
        """);

    Run json = run("proxy-config", "endpoints", "productpage-v1-1.default", "-o", "json", "--server", server);
    assertThat(json.out()).contains("\"clusterName\" : \"outbound|9080||productpage.default.svc.cluster.local\"",
        "\"address\" : \"10.0.0.1\"").doesNotContain("\"clusters\"");
  }

  @Test
  void proxyConfig_ofADescribedWorkload_needsNoConnection() {
    Run described = run("proxy-config", "clusters", "--namespace", "default", "--labels", "app=reviews,version=v1",
        "--service-account", "bookinfo-reviews", "--server", server);

    assertThat(described.exit()).isZero();
    assertThat(described.out()).isEqualTo("""
        SERVICE FQDN                            PORT   SUBSET   DIRECTION   TYPE   DESTINATION RULE
        productpage.default.svc.cluster.local   9080   -        outbound    EDS
        reviews.default.svc.cluster.local       9080   -        outbound    EDS
        """);
    assertThat(run("proxy-config", "endpoints", "--namespace", "default", "--labels", "app=reviews",
        "--server", server).out()).isEqualTo("ENDPOINT   STATUS   LOCALITY   CLUSTER\n");
  }

  @Test
  void proxyConfig_unknownWorkloadFails_andBadArgumentsExit2() throws Exception {
    productpage();

    Run unknown = run("proxy-config", "clusters", "ratings-v1.default", "--server", server);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("error: no connected proxy ratings-v1.default; connected: "
        + "productpage-v1-1.default\n");

    Run badType = run("proxy-config", "secrets", "productpage-v1-1.default", "--server", server);
    assertThat(badType.exit()).isEqualTo(2);
    assertThat(badType.err()).startsWith("TYPE must be one of listeners, routes, clusters, endpoints, all; was "
        + "'secrets'");

    assertThat(run("proxy-config", "clusters", "productpage", "--server", server).err())
        .startsWith("WORKLOAD must be name.namespace, was 'productpage'");
    assertThat(run("proxy-config", "clusters", "a.default", "--namespace", "default", "--server", server).err())
        .startsWith("give WORKLOAD (name.namespace) or describe one with --namespace and --labels, not both");
    Run neither = run("proxy-config", "clusters", "--server", server);
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).startsWith("give a connected WORKLOAD (name.namespace), or describe one with "
        + "--namespace NS --labels k=v,... [--service-account SA]");
    assertThat(run("proxy-config", "clusters", "--namespace", "default", "--labels", "app", "--server", server)
        .err()).startsWith("--labels: labels must be key=value[,key=value...], got 'app' in 'app'");
  }

  @Test
  void analyze_validConfigExits0_problemsExit1WithOneLinePerProblem() throws Exception {
    Path good = Files.createDirectories(tempDir.resolve("good"));
    Files.writeString(good.resolve("services.yaml"), ControlPlaneHarness.SERVICES);
    Run valid = run("analyze", good.toString());
    assertThat(valid.exit()).isZero();
    assertThat(valid.out()).isEqualTo("No validation issues found when analyzing 2 resource(s).\n");

    Path bad = Files.writeString(tempDir.resolve("bad.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: VirtualServce
        metadata: {name: typo}
        ---
        apiVersion: security.istio.io/v1alpha1
        kind: PeerAuthentication
        metadata: {name: old}
        """);
    Run invalid = run("analyze", good.toString(), bad.toString());
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out().lines()).containsExactly(
        bad + ": VirtualServce default/typo: kind: unknown kind for networking.istio.io; known: [VirtualService, "
            + "DestinationRule, ServiceEntry, WorkloadEntry, Sidecar] (value: VirtualServce)",
        bad + " (document 2): PeerAuthentication default/old: apiVersion: unsupported version of "
            + "PeerAuthentication; use one of [security.istio.io/v1, security.istio.io/v1beta1] "
            + "(value: security.istio.io/v1alpha1)");
    assertThat(invalid.err()).isEqualTo("error: 2 problem(s) found\n");

    Run missing = run("analyze", tempDir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith(tempDir.resolve("nope") + ": no such file or directory");
  }

  @Test
  void clientVerbs_unreachableServer_exit1_badServerAddress_exit2_noCommand_exit2() {
    Run unreachable = run("proxy-status", "--server", "127.0.0.1:1");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err()).isEqualTo("error: cannot reach a meshctl server at 127.0.0.1:1 (connection "
        + "refused); start one with `meshctl serve --config-dir DIR` or point --server at it\n");

    Run badServer = run("proxy-status", "--server", "localhost");
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.err()).contains("expected HOST:PORT, e.g. 127.0.0.1:15014, but was 'localhost'");

    Run none = run();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).startsWith("Missing command: choose serve, apply, delete, proxy-status, proxy-config or "
        + "analyze");

    Run missingFile = run("apply", "-f", "/nonexistent.yaml", "--server", server);
    assertThat(missingFile.exit()).isEqualTo(2);
    assertThat(missingFile.err()).startsWith("-f /nonexistent.yaml: no such file or directory");
  }
}
