package dev.inboard.mesh.okhttp;

import static dev.inboard.mesh.okhttp.MeshFixture.URL;
import static dev.inboard.mesh.okhttp.MeshFixture.V1;
import static dev.inboard.mesh.okhttp.MeshFixture.clusters;
import static dev.inboard.mesh.okhttp.MeshFixture.routeTo;
import static dev.inboard.mesh.okhttp.MeshFixture.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The caller gives up (cancels the call, or its call timeout passes) while the mesh waits on a fault delay or a retry
 * back-off, or while an attempt is in flight: the call ends then, as a downstream client's own timeout ends a request
 * its sidecar is still delaying.
 */
class MeshOkHttpCallerGivesUpTest extends MeshBackendsTestBase {
  /** Far longer than any bound asserted here. */
  private static final int DELAY_SECONDS = 5;
  private static final Duration WELL_BEFORE_THE_DELAY = Duration.ofSeconds(3);

  private static Route delayed() {
    HTTPFault fault = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(com.google.protobuf.Duration.newBuilder().setSeconds(DELAY_SECONDS))
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    return routeTo(V1).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build();
  }

  private OkHttpClient withCallTimeout() {
    return fixture.client.newBuilder().callTimeout(Duration.ofMillis(500)).build();
  }

  @Test
  void faultDelay_callTimeoutPasses_failsWithTimeoutBeforeTheDelayEnds() throws Exception {
    start(delayed());
    long start = System.nanoTime();
    assertThatThrownBy(() -> withCallTimeout().newCall(new Request.Builder().url(URL + "/").build()).execute())
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY)
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void faultDelay_canceledFromAnotherThread_endsTheWait() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    start(delayed());
    // An application interceptor added before the mesh's runs first: the call is about to enter the mesh.
    OkHttpClient.Builder b = new OkHttpClient.Builder().addInterceptor(chain -> {
      entered.countDown();
      return chain.proceed(chain.request());
    });
    b.interceptors().addAll(fixture.client.interceptors());
    Call call = b.build().newCall(new Request.Builder().url(URL + "/").build());

    long start = System.nanoTime();
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    call.cancel();
    assertThatThrownBy(() -> result.get(WELL_BEFORE_THE_DELAY.toMillis(), TimeUnit.MILLISECONDS))
        .hasRootCauseInstanceOf(IOException.class)
        .hasRootCauseMessage("Canceled");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void faultDelay_enqueuedWithCallTimeout_failsWithTimeoutBeforeTheDelayEnds() throws Exception {
    start(delayed());
    AtomicReference<IOException> failure = new AtomicReference<>();
    long start = System.nanoTime();
    withCallTimeout().newCall(new Request.Builder().url(URL + "/").build()).enqueue(recordingFailure(failure));
    await().atMost(WELL_BEFORE_THE_DELAY).until(() -> failure.get() != null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void faultDelay_enqueuedAndCanceled_failsWithCanceled() throws Exception {
    start(delayed());
    AtomicReference<IOException> failure = new AtomicReference<>();
    AtomicInteger inMesh = new AtomicInteger();
    OkHttpClient.Builder b = new OkHttpClient.Builder().addInterceptor(chain -> {
      inMesh.incrementAndGet();
      return chain.proceed(chain.request());
    });
    b.interceptors().addAll(fixture.client.interceptors());
    Call call = b.build().newCall(new Request.Builder().url(URL + "/").build());
    long start = System.nanoTime();
    call.enqueue(recordingFailure(failure));
    await().atMost(Duration.ofSeconds(2)).until(() -> inMesh.get() == 1);
    call.cancel();
    await().atMost(WELL_BEFORE_THE_DELAY).until(() -> failure.get() != null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(failure.get()).hasMessage("Canceled");
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void retryBackoff_callTimeoutPasses_failsWithTimeoutWithoutRetrying() throws Exception {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(503).body("busy").build();
      }
    });
    // Back-off jitter at its top: the wait before the retry is the whole base interval.
    RandomGenerator highest = new RandomGenerator() {
      @Override
      public long nextLong() {
        return Long.MAX_VALUE;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
    fixture = MeshFixture.start(OutboundPolicy.ALLOW_ANY, List.of(routes(routeTo(V1).setRoute(RouteAction.newBuilder()
        .setCluster(V1).setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(1))
            .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                .setBaseInterval(com.google.protobuf.Duration.newBuilder().setSeconds(DELAY_SECONDS))))).build())),
        clusters(), v1, v2, mirror, highest);
    long start = System.nanoTime();
    assertThatThrownBy(() -> withCallTimeout().newCall(new Request.Builder().url(URL + "/").build()).execute())
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(v1.getRequestCount()).isEqualTo(1);
    assertThat(fixture.mesh.engine().cluster(V1).orElseThrow().hosts().get(0).activeRequests()).isZero();
  }

  @Test
  void attemptInFlight_callTimeoutPasses_abandonedAndNotRetried() throws Exception {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("slow").headersDelay(DELAY_SECONDS, TimeUnit.SECONDS)
            .build();
      }
    });
    start(routeTo(V1).setRoute(RouteAction.newBuilder().setCluster(V1).setRetryPolicy(RetryPolicy.newBuilder()
        .setRetryOn("reset,connect-failure").setNumRetries(UInt32Value.of(3)))).build());
    long start = System.nanoTime();
    assertThatThrownBy(() -> withCallTimeout().newCall(new Request.Builder().url(URL + "/").build()).execute())
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(v1.getRequestCount()).isEqualTo(1);
    assertThat(fixture.mesh.engine().cluster(V1).orElseThrow().hosts().get(0).activeRequests()).isZero();
  }

  @Test
  void clientsReadTimeout_tighterThanTheRoutes_endsTheRequestWithoutRetries() throws Exception {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("slow").headersDelay(DELAY_SECONDS, TimeUnit.SECONDS)
            .build();
      }
    });
    start(routeTo(V1).setRoute(RouteAction.newBuilder().setCluster(V1)
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30))
        .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(2)))).build());
    OkHttpClient client = fixture.client.newBuilder().readTimeout(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(URL + "/").build()).execute())
        .isInstanceOf(java.net.SocketTimeoutException.class)
        .isNotInstanceOf(MeshException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WELL_BEFORE_THE_DELAY);
    assertThat(v1.getRequestCount()).isEqualTo(1);
  }

  private static Callback recordingFailure(AtomicReference<IOException> failure) {
    return new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        failure.set(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        failure.set(new IOException("answered " + response.code()));
      }
    };
  }
}
