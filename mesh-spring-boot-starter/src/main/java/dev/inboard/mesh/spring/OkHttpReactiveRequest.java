package dev.inboard.mesh.spring;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.AbstractClientHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A reactive request collected into an OkHttp request: headers, cookies and the body's bytes. */
final class OkHttpReactiveRequest extends AbstractClientHttpRequest {
  /** Methods OkHttp sends only with a body, so an absent body becomes an empty one. */
  private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

  private final HttpMethod method;
  private final URI uri;
  private final DataBufferFactory bufferFactory;
  private final okhttp3.Request.Builder builder;
  private byte @Nullable [] body;

  OkHttpReactiveRequest(HttpMethod method, URI uri, DataBufferFactory bufferFactory) {
    this.method = method;
    this.uri = uri;
    this.bufferFactory = bufferFactory;
    this.builder = new okhttp3.Request.Builder().url(okhttp3.HttpUrl.get(uri));
  }

  @Override
  public HttpMethod getMethod() {
    return method;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public DataBufferFactory bufferFactory() {
    return bufferFactory;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getNativeRequest() {
    return (T) builder;
  }

  @Override
  public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
    return doCommit(() -> DataBufferUtils.join(body).doOnNext(joined -> {
      byte[] bytes = new byte[joined.readableByteCount()];
      joined.read(bytes);
      DataBufferUtils.release(joined);
      this.body = bytes;
    }).then());
  }

  @Override
  public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
    return writeWith(Flux.from(body).concatMap(Flux::from));
  }

  @Override
  public Mono<Void> setComplete() {
    return doCommit();
  }

  @Override
  protected void applyHeaders() {
    for (Map.Entry<String, List<String>> header : getHeaders().headerSet()) {
      for (String value : header.getValue()) {
        builder.addHeader(header.getKey(), value);
      }
    }
  }

  @Override
  protected void applyCookies() {
    if (getCookies().isEmpty()) {
      return;
    }
    builder.addHeader(HttpHeaders.COOKIE, getCookies().values().stream().flatMap(List::stream)
        .map(HttpCookie::toString).collect(Collectors.joining("; ")));
  }

  /** The OkHttp request, once the callback has committed this one. */
  okhttp3.Request toOkHttp() {
    String contentType = getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
    @Nullable MediaType mediaType = contentType == null ? null : MediaType.parse(contentType);
    byte @Nullable [] bytes = body;
    @Nullable RequestBody requestBody = bytes != null && bytes.length > 0
        ? RequestBody.create(bytes, mediaType)
        : BODY_REQUIRED.contains(method.name()) ? RequestBody.create(new byte[0], mediaType) : null;
    return builder.method(method.name(), requestBody).build();
  }
}
