package dev.inboard.mesh.spring;

import dev.inboard.mesh.inbound.InboundChain;
import dev.inboard.mesh.inbound.InboundExchange;
import dev.inboard.mesh.inbound.InboundHeaders;
import dev.inboard.mesh.inbound.InboundRequest;
import dev.inboard.mesh.inbound.InboundResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Runs the mesh's {@link InboundChain} for a reactive (WebFlux) application, first among its web filters: a rejection
 * (e.g. an RBAC denial) is written as the response and the request goes no further; otherwise the request continues,
 * and the chain is told when the exchange completes. A peer that goes away before the response completes the
 * exchange with status 0, as Envoy logs a downstream disconnect.
 */
public final class MeshInboundWebFilter implements WebFilter, Ordered {
  /** Where the filter sits among web filters: before security and the application's filters. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  private final InboundChain chain;

  public MeshInboundWebFilter(InboundChain chain) {
    this.chain = Objects.requireNonNull(chain, "chain");
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange web, WebFilterChain next) {
    InboundExchange exchange = chain.begin(inboundRequest(web.getRequest()));
    ServerHttpResponse response = web.getResponse();
    if (exchange.rejection().isPresent()) {
      InboundResponse rejection = exchange.rejection().get();
      return send(rejection, response).doFinally(signal -> exchange.complete(rejection.status()));
    }
    return next.filter(web).doFinally(signal -> exchange.complete(status(signal, response)));
  }

  private static int status(SignalType signal, ServerHttpResponse response) {
    HttpStatusCode code = response.getStatusCode();
    return switch (signal) {
      // An error leaving the application becomes the server's 500 unless a response was already on its way.
      case ON_ERROR -> response.isCommitted() && code != null ? code.value() : 500;
      case CANCEL -> response.isCommitted() && code != null ? code.value() : 0;
      default -> code == null ? 200 : code.value();
    };
  }

  private static Mono<Void> send(InboundResponse rejection, ServerHttpResponse response) {
    response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
    rejection.headers().asMap().forEach((name, values) -> response.getHeaders().addAll(name, values));
    byte[] body = rejection.bodyBytes();
    response.getHeaders().setContentLength(body.length);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }

  /** What the chain sees of a reactive request. */
  static InboundRequest inboundRequest(ServerHttpRequest request) {
    URI uri = request.getURI();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path = path + "?" + uri.getRawQuery();
    }
    InboundHeaders.Builder headers = InboundHeaders.builder();
    request.getHeaders().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
    InboundHeaders built = headers.build();
    String host = built.first("host");
    InboundRequest.Builder builder = InboundRequest.builder(request.getMethod().name(), path)
        .scheme(uri.getScheme() == null ? "http" : uri.getScheme())
        .authority(host != null ? host : uri.getRawAuthority() == null ? "" : uri.getRawAuthority())
        .headers(built);
    resolved(request.getLocalAddress()).ifPresent(builder::localAddress);
    resolved(request.getRemoteAddress()).ifPresent(builder::peerAddress);
    SslInfo ssl = request.getSslInfo();
    if (ssl != null) {
      X509Certificate[] chain = ssl.getPeerCertificates();
      if (chain != null) {
        builder.peerCertificates(List.of(chain));
      }
    }
    return builder.build();
  }

  private static Optional<InetSocketAddress> resolved(@Nullable InetSocketAddress address) {
    return address == null || address.isUnresolved() ? Optional.empty() : Optional.of(address);
  }
}
