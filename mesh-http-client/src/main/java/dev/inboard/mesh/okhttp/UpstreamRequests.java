package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.routing.RouteDecision;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The request as it goes to one upstream host: the URL names the host's address (with the route's path rewrite),
 * the {@code Host} header keeps the service's authority (or the route's authority rewrite).
 */
final class UpstreamRequests {
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
    String sent = route.authority().orElse(null);
    if (sent == null && route.autoHostRewrite() && !host.endpoint().hostname().isEmpty()) {
      sent = host.endpoint().hostname();
    }
    return to(host, sent == null ? authority : sent);
  }

  /** The request for {@code host} with the {@code Host} header {@code authority}. */
  Request to(Host host, String authority) {
    HttpUrl url = request.url();
    HttpUrl.Builder b;
    if (route.path().isPresent()) {
      HttpUrl rewritten = HttpUrl.get(url.scheme() + "://localhost" + route.path().get());
      b = rewritten.newBuilder();
    } else {
      b = url.newBuilder();
    }
    b.host(host.address().host()).port(host.address().port());
    return request.newBuilder().url(b.build()).header("Host", authority).build();
  }
}
