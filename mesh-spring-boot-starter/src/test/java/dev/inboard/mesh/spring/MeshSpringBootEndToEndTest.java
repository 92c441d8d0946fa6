package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.ProxyStatus;
import dev.inboard.mesh.agent.server.YamlSource;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.inbound.InboundHttpStage;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A Spring Boot application with the starter, end to end against the local control plane running in-process on
 * ephemeral ports. The control plane serves Istio YAML: a Kubernetes Service {@code echo} whose two versions are
 * two loopback HTTP servers registered as WorkloadEntries, a DestinationRule with subsets v1 and v2, and a
 * VirtualService sending {@code end-user: jason} to v2 and everything else to v1 (the shape of Bookinfo's
 * {@code virtual-service-reviews-test-v2.yaml}). The application, {@code frontend} on {@code server.address} /
 * {@code server.port}, calls {@code http://echo:8080} with the RestClient from its context, registers itself with
 * the control plane from those server properties, and runs its inbound chain before every request.
 */
@SpringBootTest(classes = MeshSpringBootEndToEndTest.FrontendApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class MeshSpringBootEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  /** The application's own loopback IP, distinct from the echo servers' 127.0.0.1. */
  static final String APP_IP = "127.0.0.2";
  static final String FRONTEND_CLUSTER = "outbound|8080||frontend.default.svc.cluster.local";

  static MockWebServer v1;
  static MockWebServer v2;
  static LocalControlPlane controlPlane;
  static int appPort;

  @Autowired Mesh mesh;
  @Autowired RecordingStages stages;
  @Autowired RestClient.Builder restClients;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheMesh() throws Exception {
    v1 = echoServer("v1");
    v2 = echoServer("v2");
    ServerComponents components = ServerComponents.standard();
    controlPlane = LocalControlPlane.start(ControlPlaneOptions.builder().xdsHost("127.0.0.1").xdsPort(0).apiPort(0)
        .build(), components.registryBuilder(), components.generator());
    ConfigUpdate update = controlPlane.apply(List.of(new YamlSource("echo.yaml", istioYaml())));
    assertThat(update.accepted()).as("%s", update.problems()).isTrue();
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(APP_IP))) {
      appPort = probe.getLocalPort();
    }
  }

  @AfterAll
  static void stopTheMesh() {
    controlPlane.close();
    v1.close();
    v2.close();
  }

  @DynamicPropertySource
  static void meshProperties(DynamicPropertyRegistry registry) {
    registry.add("mesh.control-plane", () -> "127.0.0.1:" + controlPlane.xdsAddress().getPort());
    registry.add("mesh.wait-for-config", () -> "20s");
    registry.add("mesh.labels.version", () -> "v1");
    registry.add("spring.application.name", () -> "frontend");
    registry.add("server.address", () -> APP_IP);
    registry.add("server.port", () -> appPort);
  }

  private static MockWebServer echoServer(String version) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body(version).build();
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    return server;
  }

  private static String istioYaml() {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          ports: [{name: http, port: 8080, targetPort: http}]
          selector: {app: echo}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: frontend, namespace: default}
        spec:
          ports: [{name: http, port: 8080, targetPort: http}]
          selector: {app: frontend}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-v1, namespace: default}
        spec:
          address: 127.0.0.1
          labels: {app: echo, version: v1}
          ports: {http: %d}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-v2, namespace: default}
        spec:
          address: 127.0.0.1
          labels: {app: echo, version: v2}
          ports: {http: %d}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: default}
        spec:
          host: echo
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: echo, namespace: default}
        spec:
          hosts: [echo]
          http:
          - match:
            - headers:
                end-user: {exact: jason}
            route:
            - destination: {host: echo, subset: v2}
          - route:
            - destination: {host: echo, subset: v1}
        """.formatted(v1.getPort(), v2.getPort());
  }

  /** The application: a web app with the starter that calls {@code echo} through the mesh. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(ShopController.class)
  static class FrontendApp {
    /** The mesh reads nothing from this machine's environment: what it needs comes from properties. */
    @Bean
    BootstrapEnvironment meshEnvironment() {
      return BootstrapEnvironment.ofVariables(Map.of());
    }

    @Bean
    RecordingStages recordingStages() {
      return new RecordingStages();
    }

    /** The clock the inbound chain times exchanges on. */
    @Bean
    MeshClock meshClock(RecordingStages stages) {
      return stages.clock;
    }

    @Bean
    InboundHttpStage telemetryStage(RecordingStages stages) {
      return stages.new Telemetry();
    }

    @Bean
    InboundHttpStage authorizationStage(RecordingStages stages) {
      return stages.new Authorization();
    }

    @Bean
    InboundHttpStage peerIdentityStage(RecordingStages stages) {
      return stages.new PeerIdentity();
    }
  }

  @RestController
  static class ShopController {
    private final RestClient echo;

    ShopController(RestClient.Builder builder) {
      this.echo = builder.build();
    }

    @GetMapping("/shop/{item}")
    String shop(@PathVariable("item") String item,
        @RequestHeader(name = "end-user", required = false) @Nullable String user) {
      RestClient.RequestHeadersSpec<?> request = echo.get().uri("http://echo:8080/items/{item}", item);
      if (user != null) {
        request = request.header("end-user", user);
      }
      return "frontend got " + request.retrieve().body(String.class);
    }
  }

  @BeforeEach
  void clearRecordings() throws InterruptedException {
    stages.seen.clear();
    stages.completions.clear();
    stages.requests.clear();
    // Requests an earlier test caused, answered before it ended, so already recorded.
    for (MockWebServer server : List.of(v1, v2)) {
      while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
        // dropped
      }
    }
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + APP_IP + ":" + appPort + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static RecordedRequest taken(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request at the echo server").isNotNull();
    return request;
  }

  @Test
  void jason_isRoutedToV2_everyoneElseToV1_andEachBackendSeesWhatTheAppSent() throws Exception {
    int v1Before = v1.getRequestCount();
    int v2Before = v2.getRequestCount();

    HttpResponse<String> anonymous = get("/shop/42");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("frontend got v1");
    RecordedRequest atV1 = taken(v1);
    assertThat(atV1.getTarget()).isEqualTo("/items/42");
    assertThat(atV1.getHeaders().get("Host")).isEqualTo("echo:8080");
    assertThat(atV1.getHeaders().get("end-user")).isNull();

    HttpResponse<String> jason = get("/shop/7", "end-user", "jason");
    assertThat(jason.statusCode()).isEqualTo(200);
    assertThat(jason.body()).isEqualTo("frontend got v2");
    RecordedRequest atV2 = taken(v2);
    assertThat(atV2.getTarget()).isEqualTo("/items/7");
    assertThat(atV2.getHeaders().get("end-user")).isEqualTo("jason");

    assertThat(v1.getRequestCount() - v1Before).isEqualTo(1);
    assertThat(v2.getRequestCount() - v2Before).isEqualTo(1);
  }

  @Test
  void requestsToTheApp_passItsInboundChainInPhaseOrder_andADenialNeverReachesIt() throws Exception {
    assertThat(get("/shop/1").body()).isEqualTo("frontend got v1");
    assertThat(stages.seen).containsExactly("peer /shop/1", "authz /shop/1", "telemetry /shop/1");
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions).containsExactly("200 /shop/1 in 0ms"));
    assertThat(stages.requests.get(0).authority()).isEqualTo(APP_IP + ":" + appPort);

    HttpResponse<String> denied = get("/admin/orders");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("RBAC: access denied");
    assertThat(stages.seen).endsWith("peer /admin/orders", "authz /admin/orders");
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions)
        .endsWith("403 /admin/orders in 0ms rejected in AUTHORIZATION"));
  }

  @Test
  void theApp_registersItselfFromServerAddressAndPort_andIsReachableByNameThroughTheMesh() throws Exception {
    ProxyStatus frontend = controlPlane.proxyStatus().stream()
        .filter(p -> p.addresses().equals(List.of(APP_IP))).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy at " + APP_IP + " in " + controlPlane.proxyStatus()));
    assertThat(frontend.registered()).isTrue();
    assertThat(frontend.namespace()).isEqualTo("default");
    assertThat(frontend.nodeId()).startsWith("sidecar~" + APP_IP + "~");

    // The control plane made the registered workload an endpoint of the frontend Service and pushed it.
    await().atMost(WAIT).until(() -> endpoints(mesh.xds().snapshot(), FRONTEND_CLUSTER)
        .equals(List.of(APP_IP + ":" + appPort)));

    String body = restClients.build().get().uri("http://frontend:8080/shop/3").header("end-user", "jason")
        .retrieve().body(String.class);

    assertThat(body).isEqualTo("frontend got v2");
    assertThat(taken(v2).getTarget()).isEqualTo("/items/3");
    assertThat(stages.seen).containsExactly("peer /shop/3", "authz /shop/3", "telemetry /shop/3");
    assertThat(stages.requests.get(0).authority()).isEqualTo("frontend:8080");
  }

  private static List<String> endpoints(MeshSnapshot snapshot, String cluster) {
    var assignment = snapshot.endpoints().get(cluster);
    return assignment == null ? List.of() : assignment.localities().stream()
        .flatMap(l -> l.endpoints().stream())
        .map(e -> e.address().host() + ":" + e.address().port())
        .toList();
  }
}
