package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/** Spring's request and response mapped to and from one OkHttp call, nothing added. */
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
}
