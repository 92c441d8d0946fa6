package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.inbound.InboundRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The web filter in front of a real reactor-netty server, requests over real HTTP on loopback. */
class MeshInboundWebFilterTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  final RecordingStages stages = new RecordingStages();
  final List<String> served = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  DisposableServer server;

  /** The application: notes what it serves; takes 5 ms on the fake clock; {@code /boom} fails. */
  private Mono<Void> handle(ServerWebExchange exchange) {
    String path = exchange.getRequest().getPath().value();
    served.add(path);
    stages.clock.forward(Duration.ofMillis(5));
    if (path.equals("/boom")) {
      return Mono.error(new IllegalStateException("application failure"));
    }
    exchange.getResponse().setStatusCode(path.equals("/created") ? HttpStatus.CREATED : HttpStatus.OK);
    byte[] body = ("hello " + path).getBytes(StandardCharsets.UTF_8);
    return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
  }

  @BeforeEach
  void start() {
    HttpHandler handler = WebHttpHandlerBuilder.webHandler(this::handle)
        .filter(new MeshInboundWebFilter(stages.chain()))
        .build();
    server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
  }

  @AfterEach
  void stop() {
    server.disposeNow();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void allowedRequest_passesEveryPhaseInOrder_thenTheApplication() throws Exception {
    HttpResponse<String> response = get("/created?x=1", "End-User", "jason", "X-Multi", "a", "X-Multi", "b");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("hello /created");
    assertThat(stages.seen).containsExactly("peer /created", "authz /created", "telemetry /created");
    assertThat(served).containsExactly("/created");
    await().atMost(WAIT).untilAsserted(() -> assertThat(stages.completions).containsExactly("201 /created in 5ms"));

    InboundRequest seen = stages.requests.get(0);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.scheme()).isEqualTo("http");
    assertThat(seen.path()).isEqualTo("/created?x=1");
    assertThat(seen.authority()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(seen.headers().first("END-USER")).isEqualTo("jason");
    assertThat(seen.headers().all("x-multi")).containsExactly("a", "b");
    assertThat(seen.localAddress().orElseThrow().getPort()).isEqualTo(server.port());
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
}
