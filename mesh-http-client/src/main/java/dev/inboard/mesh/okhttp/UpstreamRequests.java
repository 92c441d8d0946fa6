package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.engine.AttemptPlan;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.routing.RouteDecision;
import okhttp3.HttpUrl;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * The request as it goes to one upstream host: the URL names the host's address (with the route's path rewrite),
 * the {@code Host} header keeps the service's authority (or the route's authority rewrite).
 */
final class UpstreamRequests {
  private static final int MAX_ENDPOINTS = 4096;
  private static final Map<SocketAddress, HttpUrl> HTTP = new ConcurrentHashMap<>();
  private static final Map<SocketAddress, HttpUrl> HTTPS = new ConcurrentHashMap<>();
  private final Request request;
  private final RouteDecision.Forward route;
  private final String authority;

  /**
   * {@code request}: the application's request with the route's request header mutations applied;
   * {@code authority}: the one the request was routed by.
   */
  UpstreamRequests(Request request, RouteDecision.Forward route, String authority) {
    this.request = request;
    this.route = route;
    this.authority = authority;
  }

  Request request() {
    return request;
  }

  /** The request for {@code host}, with the authority the route says. */
  Request to(Host host) {
    return attemptTo(host, null);
  }

  /**
   * The request for {@code host}, with the authority the route says and, when not null, {@code attemptCount} as
   * {@code x-envoy-attempt-count}.
   */
  Request attemptTo(Host host, @Nullable String attemptCount) {
    String sent = route.authority().orElse(null);
    if (sent == null && route.autoHostRewrite() && !host.endpoint().hostname().isEmpty()) {
      sent = host.endpoint().hostname();
    }
    return build(host, sent == null ? authority : sent, attemptCount);
  }

  /** The request for {@code host} with the {@code Host} header {@code authority}. */
  Request to(Host host, String authority) {
    return build(host, authority, null);
  }

  private Request build(Host host, String authority, @Nullable String attemptCount) {
    HttpUrl url = request.url();
    HttpUrl target;
    if (route.path().isPresent()) {
      HttpUrl rewritten = HttpUrl.get(url.scheme() + "://localhost" + route.path().get());
      target = rewritten.newBuilder().host(host.address().host()).port(host.address().port()).build();
    } else {
      // The endpoint's scheme://host:port comes from a cache: OkHttp canonicalizes a host (IDN mapping included)
      // each time one is set, which cost more than the rest of the rewrite.
      HttpUrl.Builder b = endpointUrl(url.scheme(), host.address()).newBuilder()
          .encodedPath(url.encodedPath())
          .encodedQuery(url.encodedQuery())
          .encodedFragment(url.encodedFragment());
      if (!url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
        b.encodedUsername(url.encodedUsername()).encodedPassword(url.encodedPassword());
      }
      target = b.build();
    }
    Request.Builder b = request.newBuilder().url(target).header("Host", authority);
    if (attemptCount != null) {
      b.header(AttemptPlan.ATTEMPT_COUNT_HEADER, attemptCount);
    }
    return b.build();
  }

  /** {@code scheme://host:port/} of an endpoint, made once per endpoint (the cache is dropped when it grows large). */
  static HttpUrl endpointUrl(String scheme, SocketAddress address) {
    Map<SocketAddress, HttpUrl> cache = scheme.equals("https") ? HTTPS : HTTP;
    HttpUrl url = cache.get(address);
    if (url == null) {
      url = new HttpUrl.Builder().scheme(scheme).host(address.host()).port(address.port()).build();
      if (cache.size() >= MAX_ENDPOINTS) {
        cache.clear();
      }
      cache.put(address, url);
    }
    return url;
  }
}
