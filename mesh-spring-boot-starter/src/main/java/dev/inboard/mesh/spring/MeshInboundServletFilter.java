package dev.inboard.mesh.spring;

import com.google.common.net.InetAddresses;
import dev.inboard.mesh.inbound.InboundChain;
import dev.inboard.mesh.inbound.InboundExchange;
import dev.inboard.mesh.inbound.InboundHeaders;
import dev.inboard.mesh.inbound.InboundRequest;
import dev.inboard.mesh.inbound.InboundResponse;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * Runs the mesh's {@link InboundChain} for a servlet application, before the application, its security and its own
 * filters see the request: a rejection (e.g. an RBAC denial) is sent as the response and the request goes no further; otherwise the
 * request continues, and the chain is told when the exchange completes (also for asynchronous requests).
 */
public final class MeshInboundServletFilter implements Filter, Ordered {
  /**
   * Where the filter sits among servlet filters: just after Spring's own first ones (character encoding, request
   * observation), before security and the application's filters.
   */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
  private static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

  private final InboundChain chain;

  public MeshInboundServletFilter(InboundChain chain) {
    this.chain = Objects.requireNonNull(chain, "chain");
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain next)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
      next.doFilter(request, response);
      return;
    }
    InboundExchange exchange = chain.begin(inboundRequest(http));
    if (exchange.rejection().isPresent()) {
      InboundResponse rejection = exchange.rejection().get();
      try {
        send(rejection, out);
      } finally {
        exchange.complete(rejection.status());
      }
      return;
    }
    boolean failed = true;
    try {
      next.doFilter(request, response);
      failed = false;
    } finally {
      if (!failed && http.isAsyncStarted()) {
        http.getAsyncContext().addListener(new Completion(exchange, out));
      } else {
        // An exception leaving the application becomes the container's 500.
        exchange.complete(failed && !out.isCommitted() ? 500 : out.getStatus());
      }
    }
  }

  private static void send(InboundResponse rejection, HttpServletResponse out) throws IOException {
    out.setStatus(rejection.status());
    rejection.headers().asMap().forEach((name, values) -> values.forEach(value -> out.addHeader(name, value)));
    byte[] body = rejection.bodyBytes();
    out.setContentLength(body.length);
    try (OutputStream stream = out.getOutputStream()) {
      stream.write(body);
    }
  }

  /** What the chain sees of a servlet request. */
  static InboundRequest inboundRequest(HttpServletRequest http) {
    String query = http.getQueryString();
    String path = query == null ? http.getRequestURI() : http.getRequestURI() + "?" + query;
    String host = http.getHeader("host");
    InboundRequest.Builder builder = InboundRequest.builder(http.getMethod(), path)
        .scheme(http.getScheme())
        .authority(host == null ? "" : host)
        .headers(headers(http));
    address(http.getLocalAddr(), http.getLocalPort()).ifPresent(builder::localAddress);
    address(http.getRemoteAddr(), http.getRemotePort()).ifPresent(builder::peerAddress);
    if (http.getAttribute(CERTIFICATES_ATTRIBUTE) instanceof X509Certificate[] chain) {
      builder.peerCertificates(List.of(chain));
    }
    return builder.build();
  }

  private static InboundHeaders headers(HttpServletRequest http) {
    InboundHeaders.Builder headers = InboundHeaders.builder();
    Enumeration<String> names = http.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = http.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        headers.add(name, values.nextElement());
      }
    }
    return headers.build();
  }

  /** The address when the container gives an IP literal (no name lookups on the request path). */
  static Optional<InetSocketAddress> address(@Nullable String ip, int port) {
    if (ip == null || port < 0 || port > 65535 || !InetAddresses.isInetAddress(strip(ip))) {
      return Optional.empty();
    }
    return Optional.of(new InetSocketAddress(InetAddresses.forString(strip(ip)), port));
  }

  private static String strip(String ip) {
    return ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
  }

  /** Completes the exchange of an asynchronous request when the container ends it. */
  private record Completion(InboundExchange exchange, HttpServletResponse response) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      exchange.complete(response.getStatus());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container answers next (503 unless the application does); onComplete follows with that status.
    }

    @Override
    public void onError(AsyncEvent event) {
      if (!response.isCommitted()) {
        exchange.complete(500);
      }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
