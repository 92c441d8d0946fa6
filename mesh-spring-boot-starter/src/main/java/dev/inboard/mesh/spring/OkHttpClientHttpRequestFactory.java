package dev.inboard.mesh.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A {@link ClientHttpRequestFactory} over an {@link OkHttpClient}: Spring's method, URI, headers and buffered body
 * become one OkHttp call, its response comes back as a {@link ClientHttpResponse}. It adds no behaviour of its own;
 * whatever the client does (the mesh's interceptor included) applies.
 *
 * <p>Connect and read timeouts are set as on Spring's own factories ({@link #setConnectTimeout(Duration)},
 * {@link #setReadTimeout(Duration)}, which Spring Boot's request factory builders call too); they go to a client
 * derived from the given one with {@link OkHttpClient#newBuilder()}, which keeps its interceptors, connection pool
 * and dispatcher. Zero means no timeout, as in OkHttp and Spring.
 */
public final class OkHttpClientHttpRequestFactory implements ClientHttpRequestFactory {
  /** Methods OkHttp sends only with a body, so an empty Spring body becomes an empty OkHttp body. */
  private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

  private final OkHttpClient base;
  private @Nullable Duration connectTimeout;
  private @Nullable Duration readTimeout;
  private volatile OkHttpClient client;

  public OkHttpClientHttpRequestFactory(OkHttpClient client) {
    this.base = Objects.requireNonNull(client, "client");
    this.client = client;
  }

  /** The client calls go through: the given one, or one derived from it with this factory's timeouts. */
  public OkHttpClient client() {
    return client;
  }

  /** The connect timeout of each call (OkHttp's {@code connectTimeout}); zero for none. */
  public synchronized void setConnectTimeout(Duration timeout) {
    this.connectTimeout = checked(timeout, "connect");
    this.client = derive();
  }

  /** As {@link #setConnectTimeout(Duration)}, in milliseconds. */
  public void setConnectTimeout(int millis) {
    setConnectTimeout(Duration.ofMillis(millis));
  }

  /** The read timeout of each call (OkHttp's {@code readTimeout}: the longest silence on a read); zero for none. */
  public synchronized void setReadTimeout(Duration timeout) {
    this.readTimeout = checked(timeout, "read");
    this.client = derive();
  }

  /** As {@link #setReadTimeout(Duration)}, in milliseconds. */
  public void setReadTimeout(int millis) {
    setReadTimeout(Duration.ofMillis(millis));
  }

  private static Duration checked(Duration timeout, String what) {
    Objects.requireNonNull(timeout, what + " timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("The " + what + " timeout must not be negative, was " + timeout
          + "; use zero for no timeout");
    }
    return timeout;
  }

  private OkHttpClient derive() {
    OkHttpClient.Builder b = base.newBuilder();
    if (connectTimeout != null) {
      b.connectTimeout(connectTimeout);
    }
    if (readTimeout != null) {
      b.readTimeout(readTimeout);
    }
    return b.build();
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, org.springframework.http.HttpMethod method) {
    return new OkHttpRequest(client, uri, method);
  }

  private static final class OkHttpRequest extends AbstractBufferingClientHttpRequest {
    private final OkHttpClient client;
    private final URI uri;
    private final org.springframework.http.HttpMethod method;

    OkHttpRequest(OkHttpClient client, URI uri, org.springframework.http.HttpMethod method) {
      this.client = client;
      this.uri = uri;
      this.method = method;
    }

    @Override
    public org.springframework.http.HttpMethod getMethod() {
      return method;
    }

    @Override
    public URI getURI() {
      return uri;
    }

    @Override
    protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
      Request.Builder request = new Request.Builder().url(uri.toURL());
      for (Map.Entry<String, List<String>> header : headers.headerSet()) {
        for (String value : header.getValue()) {
          request.addHeader(header.getKey(), value);
        }
      }
      String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
      @Nullable MediaType mediaType = contentType == null ? null : MediaType.parse(contentType);
      @Nullable RequestBody requestBody = body.length > 0 || BODY_REQUIRED.contains(method.name())
          ? RequestBody.create(body, mediaType)
          : null;
      request.method(method.name(), requestBody);
      return new OkHttpResponse(client.newCall(request.build()).execute());
    }
  }

  private static final class OkHttpResponse implements ClientHttpResponse {
    private final Response response;
    private final HttpHeaders headers = new HttpHeaders();

    OkHttpResponse(Response response) {
      this.response = response;
      for (String name : response.headers().names()) {
        for (String value : response.headers(name)) {
          headers.add(name, value);
        }
      }
    }

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatusCode.valueOf(response.code());
    }

    @Override
    public String getStatusText() {
      return response.message();
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public InputStream getBody() {
      ResponseBody body = response.body();
      return body.byteStream();
    }

    @Override
    public void close() {
      response.close();
    }
  }
}
