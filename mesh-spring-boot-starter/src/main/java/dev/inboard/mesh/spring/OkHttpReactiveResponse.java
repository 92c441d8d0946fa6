package dev.inboard.mesh.spring;

import okhttp3.Cookie;
import okhttp3.HttpUrl;
import okhttp3.Response;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.AbstractClientHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * An OkHttp response as a reactive one: status, headers, {@code Set-Cookie}s, and the body streamed as data buffers
 * read on a bounded elastic thread (OkHttp's reads block). The response is closed when the body ends, fails or is
 * canceled.
 */
final class OkHttpReactiveResponse extends AbstractClientHttpResponse {
  private static final int CHUNK = 8192;

  /** {@code url}: the one the application asked for, which {@code Set-Cookie} domains are checked against. */
  OkHttpReactiveResponse(Response response, HttpUrl url, DataBufferFactory bufferFactory) {
    super(HttpStatusCode.valueOf(response.code()), headers(response), cookies(response, url),
        body(response, bufferFactory));
  }

  private static HttpHeaders headers(Response response) {
    HttpHeaders headers = new HttpHeaders();
    for (String name : response.headers().names()) {
      for (String value : response.headers(name)) {
        headers.add(name, value);
      }
    }
    return headers;
  }

  private static MultiValueMap<String, ResponseCookie> cookies(Response response, HttpUrl url) {
    MultiValueMap<String, ResponseCookie> cookies = new LinkedMultiValueMap<>();
    for (Cookie c : Cookie.parseAll(url, response.headers())) {
      ResponseCookie.ResponseCookieBuilder b = ResponseCookie.from(c.name(), c.value())
          .path(c.path()).secure(c.secure()).httpOnly(c.httpOnly());
      if (!c.hostOnly()) {
        b.domain(c.domain());
      }
      if (c.persistent()) {
        b.maxAge(Math.max(0, (c.expiresAt() - System.currentTimeMillis()) / 1000));
      }
      cookies.add(c.name(), b.build());
    }
    return cookies;
  }

  private static Flux<DataBuffer> body(Response response, DataBufferFactory bufferFactory) {
    return DataBufferUtils.readInputStream(() -> response.body().byteStream(), bufferFactory, CHUNK)
        .doFinally(signal -> response.close())
        .subscribeOn(Schedulers.boundedElastic());
  }
}
