package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's "Circuit Breaking" task on Bookinfo. The DestinationRule of the task, as the task page writes it (one
 * connection, one pending request, {@code baseEjectionTime: 3m}), and one limiting requests in flight, are put on
 * details: a leaf service with one workload and quick, constant answers, so what is measured is the breaker, not a
 * chain of calls behind it. The load comes from a fortio-like client in this JVM: an Inboard
 * {@link Mesh} registered as workload {@code fortio} with an OkHttp client routed through it, calling
 * {@code details:9080} from several threads at once.
 */
@ExtendWith(SharedBookinfo.class)
class CircuitBreakingIT {
  private static final int THREADS = 8;
  private static final int REQUESTS_PER_THREAD = 25;
  private static Mesh fortio;
  private static OkHttpClient client;
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeAll
  static void startFortio() throws Exception {
    XdsBootstrap bootstrap = new XdsBootstrap(ControlPlaneServer.plaintext(SharedBookinfo.deployment().xdsTarget()),
        NodeIdentity.builder().namespace("default").podName("fortio-deploy-local").workloadName("fortio-deploy")
            .app("fortio").version("v1").serviceAccount("fortio").instanceIps("127.0.0.1").build(),
        Map.of(), Optional.empty(), "circuit-breaking test client");
    fortio = Mesh.start(MeshOptions.builder().bootstrap(bootstrap).build());
    fortio.awaitReady(Duration.ofSeconds(30));
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(THREADS * 2);
    dispatcher.setMaxRequestsPerHost(THREADS * 2);
    client = MeshOkHttp.enable(new OkHttpClient.Builder().dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(THREADS, 1, TimeUnit.MINUTES)).followRedirects(false)
        .callTimeout(Duration.ofSeconds(20)), fortio).build();
  }

  @AfterAll
  static void stopFortio() {
    if (fortio != null) {
      fortio.close();
    }
  }

  /**
   * The task's rule: one connection, one pending request; a third concurrent caller is refused at once (as Envoy's
   * HTTP/1.1 pool does: one request holds the connection, one waits, the rest overflow).
   */
  @Test
  void concurrentCallersBeyondOneConnectionAndOnePendingRequestGetFastOverflow503s() throws Exception {
    assertOverflowUnderLoad("circuit-breaking/details-circuit-breaker.yaml");
  }

  /** At most one request in flight to details ({@code http2MaxRequests: 1}): the others are refused at once. */
  @Test
  void concurrentCallersBeyondOneRequestInFlightGetFastOverflow503s() throws Exception {
    assertOverflowUnderLoad("circuit-breaking/details-max-requests.yaml");
  }

  private void assertOverflowUnderLoad(String rule) throws Exception {
    config.reset();
    assertThat(call().status()).as("details through the mesh before the breaker").isEqualTo(200);
    config.applyTask(rule);

    List<Outcome> outcomes = load();

    List<Outcome> ok = outcomes.stream().filter(o -> o.status() == 200).toList();
    List<Outcome> overflow = outcomes.stream().filter(o -> o.status() == 503).toList();
    assertThat(ok.size() + overflow.size()).as("only 200s and 503s: %s", outcomes).isEqualTo(outcomes.size());
    assertThat(ok).as("some requests get through").isNotEmpty();
    assertThat(overflow).as("some requests overflow the breaker").isNotEmpty();
    for (Outcome o : overflow) {
      assertThat(o.flag()).as("%s", o).contains(ResponseFlag.UO);
      assertThat(o.overloadedHeader()).as("%s", o).isTrue();
      assertThat(o.elapsed()).as("refused at once, not after a wait: %s", o).isLessThan(Duration.ofSeconds(2));
    }
    config.reset();
  }

  /** THREADS callers released together, each sending its requests back to back, as {@code fortio load -c} does. */
  private static List<Outcome> load() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<List<Outcome>>> callers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        callers.add(CompletableFuture.supplyAsync(() -> {
          awaitQuietly(start);
          List<Outcome> mine = new ArrayList<>();
          for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
            mine.add(call());
          }
          return mine;
        }, pool));
      }
      start.countDown();
      List<Outcome> all = new ArrayList<>();
      for (CompletableFuture<List<Outcome>> caller : callers) {
        all.addAll(caller.get(60, TimeUnit.SECONDS)); // no caller hangs
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Outcome call() {
    long started = System.nanoTime();
    try (Response response = client.newCall(new Request.Builder().url("http://details:9080/details/0").build())
        .execute()) {
      response.body().string();
      return new Outcome(response.code(), MeshOkHttp.failure(response).map(Failure::flag),
          "true".equals(response.header("x-envoy-overloaded")), Duration.ofNanos(System.nanoTime() - started));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("details:9080 through the mesh: " + e, e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Outcome(int status, Optional<ResponseFlag> flag, boolean overloadedHeader, Duration elapsed) {}
}
