package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.RouteAction;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Builds a redirect's {@code location} as Envoy does: the scheme ({@code https_redirect}, {@code scheme_redirect} or
 * the request's); the host ({@code host_redirect} or the request's, whose port is dropped when a port redirect
 * replaces it or when the scheme changes and the port was the old scheme's default); the port redirect; the path
 * ({@code path_redirect}, whose own query string wins and is never stripped, else the request's query is kept;
 * {@code prefix_rewrite} / {@code regex_rewrite} on the request path; else the request path); then
 * {@code strip_query}.
 */
final class RedirectResolver implements RouteResolver {
  private final RouteAction.Redirect redirect;
  private final @Nullable PathRewriter rewriter;
  private final List<HeaderMutation> responseMutations;

  RedirectResolver(RouteAction.Redirect redirect, List<HeaderMutation> responseMutations) {
    this.redirect = redirect;
    this.responseMutations = List.copyOf(responseMutations);
    this.rewriter = redirect.path().map(p -> {
      if (p instanceof RouteAction.PathRedirect.Prefix prefix) {
        return PathRewriter.prefix(prefix.prefix());
      }
      if (p instanceof RouteAction.PathRedirect.Regex regex) {
        return PathRewriter.regex(regex.rewrite());
      }
      return null;
    }).orElse(null);
  }

  @Override
  public RouteDecision resolve(
      RequestInfo request, CompiledRoute route, int pathEnd, long random, RandomGenerator rng) {
    return new RouteDecision.Redirect(redirect.responseCode(), location(request, route, pathEnd), responseMutations);
  }

  String location(RequestInfo request, CompiledRoute route, int pathEnd) {
    String scheme = redirect.scheme().orElse(request.scheme());
    String port = redirect.port().map(p -> ":" + p).orElse("");
    String host = redirect.host().orElseGet(() -> requestHost(request, scheme, !port.isEmpty()));
    String path = request.path();
    boolean pathHasOwnQuery = false;
    if (redirect.path().isPresent() && redirect.path().get() instanceof RouteAction.PathRedirect.Path fixed) {
      pathHasOwnQuery = fixed.path().indexOf('?') >= 0;
      int query = path.indexOf('?');
      path = pathHasOwnQuery || query < 0 ? fixed.path() : fixed.path() + path.substring(query);
    } else if (rewriter != null) {
      path = rewriter.rewrite(path, route, pathEnd);
    }
    if (redirect.stripQuery() && !pathHasOwnQuery) {
      int query = path.indexOf('?');
      if (query >= 0) {
        path = path.substring(0, query);
      }
    }
    return scheme + "://" + host + port + path;
  }

  private static String requestHost(RequestInfo request, String newScheme, boolean newPort) {
    String authority = request.authority();
    int hostEnd = VirtualHostSelector.hostEnd(authority);
    if (hostEnd == authority.length()) {
      return authority;
    }
    String requestPort = authority.substring(hostEnd);
    String requestScheme = request.scheme();
    boolean removePort = newPort;
    if (!newScheme.equals(requestScheme)) {
      removePort |= requestScheme.equals("https") && requestPort.equals(":443");
      removePort |= requestScheme.equals("http") && requestPort.equals(":80");
    }
    return removePort ? authority.substring(0, hostEnd) : authority;
  }
}
