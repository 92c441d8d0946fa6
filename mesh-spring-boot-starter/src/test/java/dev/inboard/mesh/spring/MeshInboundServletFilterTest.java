package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.inbound.InboundRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;

/** The servlet filter in a real embedded Tomcat, requests over real HTTP on loopback. */
class MeshInboundServletFilterTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final RecordingStages stages = new RecordingStages();
  final List<String> served = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  WebServer server;

  /** The application: notes what it serves; takes 5 ms on the fake clock; a few paths misbehave. */
  final class App extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      served.add(request.getRequestURI());
      stages.clock.forward(Duration.ofMillis(5));
      switch (request.getRequestURI()) {
        case "/boom" -> throw new IllegalStateException("application failure");
        case "/later" -> {
          AsyncContext async = request.startAsync();
          async.start(() -> {
            ((HttpServletResponse) async.getResponse()).setStatus(202);
            async.complete();
          });
        }
        default -> {
          response.setContentType("text/plain");
          response.getWriter().write("hello " + request.getRequestURI());
        }
      }
    }
  }

  @BeforeEach
  void start() {
    TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
    factory.setAddress(InetAddress.getLoopbackAddress());
    server = factory.getWebServer(context -> {
      FilterRegistration.Dynamic filter = context.addFilter("mesh", new MeshInboundServletFilter(stages.chain()));
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
      ServletRegistration.Dynamic app = context.addServlet("app", new App());
      app.setAsyncSupported(true);
      app.addMapping("/");
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void allowedRequest_passesEveryPhaseInOrder_thenTheApplication() throws Exception {
    HttpResponse<String> response = get("/hello?x=1", "End-User", "jason", "X-Multi", "a", "X-Multi", "b");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello /hello");
    assertThat(stages.seen).containsExactly("peer /hello", "authz /hello", "telemetry /hello");
    assertThat(served).containsExactly("/hello");
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions).containsExactly("200 /hello in 5ms"));

    InboundRequest seen = stages.requests.get(0);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.scheme()).isEqualTo("http");
    assertThat(seen.path()).isEqualTo("/hello?x=1");
    assertThat(seen.authority()).isEqualTo("127.0.0.1:" + server.getPort());
    assertThat(seen.headers().first("end-user")).isEqualTo("jason");
    assertThat(seen.headers().all("x-multi")).containsExactly("a", "b");
    assertThat(seen.localAddress().orElseThrow().getPort()).isEqualTo(server.getPort());
    assertThat(seen.peerAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(seen.peerCertificates()).isEmpty();
  }

  @Test
  void deniedRequest_getsEnvoysRbacDenial_andNeverReachesTheApplication() throws Exception {
    HttpResponse<String> response = get("/admin/users");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("RBAC: access denied");
    assertThat(response.headers().firstValue("content-type")).contains("text/plain");
    assertThat(response.headers().firstValue("content-length")).contains("19");
    assertThat(served).isEmpty();
    assertThat(stages.seen).containsExactly("peer /admin/users", "authz /admin/users");
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions)
        .containsExactly("403 /admin/users in 0ms rejected in AUTHORIZATION"));
  }

  @Test
  void applicationFailure_completesWith500() throws Exception {
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions).containsExactly("500 /boom in 5ms"));
  }

  @Test
  void asyncRequest_completesWhenTheContainerEndsIt() throws Exception {
    assertThat(get("/later").statusCode()).isEqualTo(202);
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions).containsExactly("202 /later in 5ms"));
  }
}
