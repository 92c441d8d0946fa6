package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/** Spring's request and response mapped to and from one OkHttp call, nothing added; timeouts as Spring sets them. */
class OkHttpClientHttpRequestFactoryTest {
  final MockWebServer backend = new MockWebServer();
  final OkHttpClientHttpRequestFactory factory = new OkHttpClientHttpRequestFactory(new OkHttpClient());

  @BeforeEach
  void start() throws Exception {
    backend.start();
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test
  void put_methodUriHeadersAndBodyOut_statusHeadersAndBodyBack() throws Exception {
    backend.enqueue(new MockResponse.Builder().code(409).addHeader("x-reason", "a").addHeader("x-reason", "b")
        .body("conflict").build());
    ClientHttpRequest request = factory.createRequest(URI.create(backend.url("/reviews/1?v=2").toString()),
        HttpMethod.PUT);
    request.getHeaders().add("x-tag", "one");
    request.getHeaders().add("x-tag", "two");
    request.getHeaders().set("Content-Type", "application/json");
    request.getBody().write("{\"stars\":5}".getBytes(StandardCharsets.UTF_8));

    try (ClientHttpResponse response = request.execute()) {
      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
      assertThat(response.getHeaders().get("x-reason")).containsExactly("a", "b");
      assertThat(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("conflict");
    }
    RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.getMethod()).isEqualTo("PUT");
    assertThat(received.getTarget()).isEqualTo("/reviews/1?v=2");
    assertThat(received.getHeaders().values("x-tag")).containsExactly("one", "two");
    assertThat(received.getHeaders().get("Content-Type")).isEqualTo("application/json");
    assertThat(received.getBody().utf8()).isEqualTo("{\"stars\":5}");
  }

  @Test
  void postWithoutBody_sendsAnEmptyBody() throws Exception {
    backend.enqueue(new MockResponse.Builder().code(204).build());
    try (ClientHttpResponse response =
        factory.createRequest(URI.create(backend.url("/ping").toString()), HttpMethod.POST).execute()) {
      assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    }
    RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.getMethod()).isEqualTo("POST");
    assertThat(received.getHeaders().get("Content-Length")).isEqualTo("0");
  }

  @Test
  void deleteAndHead_goWithoutBody() throws Exception {
    backend.enqueue(new MockResponse.Builder().code(200).build());
    backend.enqueue(new MockResponse.Builder().code(200).build());
    for (HttpMethod method : new HttpMethod[] {HttpMethod.DELETE, HttpMethod.HEAD}) {
      try (ClientHttpResponse response =
          factory.createRequest(URI.create(backend.url("/r").toString()), method).execute()) {
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
      }
      RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getMethod()).isEqualTo(method.name());
      assertThat(received.getBodySize()).isZero();
    }
  }

  @Test
  void timeouts_goToADerivedClientKeepingInterceptorsAndPool() {
    Interceptor tagging = chain -> chain.proceed(chain.request().newBuilder().header("x-tag", "kept").build());
    OkHttpClient base = new OkHttpClient.Builder().addInterceptor(tagging).build();
    OkHttpClientHttpRequestFactory f = new OkHttpClientHttpRequestFactory(base);
    f.setConnectTimeout(Duration.ofMillis(1500));
    f.setReadTimeout(2500);

    assertThat(f.client()).isNotSameAs(base);
    assertThat(f.client().connectTimeoutMillis()).isEqualTo(1500);
    assertThat(f.client().readTimeoutMillis()).isEqualTo(2500);
    assertThat(f.client().interceptors()).containsExactly(tagging);
    assertThat(f.client().connectionPool()).isSameAs(base.connectionPool());
    assertThat(f.client().dispatcher()).isSameAs(base.dispatcher());
    assertThat(base.readTimeoutMillis()).isEqualTo(10_000);
  }

  @Test
  void negativeTimeout_rejectedWithTheFix() {
    assertThatThrownBy(() -> factory.setReadTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use zero for no timeout");
  }

  @Test
  void readTimeout_slowBackend_failsWithinTheTimeout() throws Exception {
    backend.enqueue(new MockResponse.Builder().code(200).body("late").headersDelay(5, TimeUnit.SECONDS).build());
    factory.setReadTimeout(Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(() -> factory.createRequest(URI.create(backend.url("/slow").toString()), HttpMethod.GET)
        .execute()).isInstanceOf(SocketTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void bootsReflectiveBuilder_setsTheTimeouts() {
    OkHttpClientHttpRequestFactory built = ClientHttpRequestFactoryBuilder
        .of(() -> new OkHttpClientHttpRequestFactory(new OkHttpClient()))
        .build(HttpClientSettings.defaults().withTimeouts(Duration.ofMillis(1200), Duration.ofMillis(3400)));
    assertThat(built.client().connectTimeoutMillis()).isEqualTo(1200);
    assertThat(built.client().readTimeoutMillis()).isEqualTo(3400);
  }

  @Test
  void builder_appliesTimeoutsAndRedirects_keepsTheClientsPolicyByDefault() {
    OkHttpClient base = new OkHttpClient.Builder().followRedirects(false).build();
    OkHttpClientHttpRequestFactoryBuilder builder = new OkHttpClientHttpRequestFactoryBuilder(base);

    assertThat(builder.build().client()).isSameAs(base);
    OkHttpClientHttpRequestFactory timed = builder.build(HttpClientSettings.defaults()
        .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(900))
        .withRedirects(HttpRedirects.FOLLOW_WHEN_POSSIBLE));
    assertThat(timed.client().connectTimeoutMillis()).isEqualTo(800);
    assertThat(timed.client().readTimeoutMillis()).isEqualTo(900);
    assertThat(timed.client().followRedirects()).isFalse();
    assertThat(builder.build(HttpClientSettings.defaults().withRedirects(HttpRedirects.FOLLOW)).client()
        .followRedirects()).isTrue();
  }

  @Test
  void builder_withCustomizer_runsItOnEachFactory() {
    OkHttpClientHttpRequestFactory built = new OkHttpClientHttpRequestFactoryBuilder(new OkHttpClient())
        .withCustomizer(f -> f.setReadTimeout(Duration.ofMillis(4321))).build();
    assertThat(built.client().readTimeoutMillis()).isEqualTo(4321);
  }
}
