package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.VirtualHostConfig;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A route configuration compiled once for the request path: virtual hosts indexed by domain, routes indexed by
 * first path segment, regexes compiled, and everything about a decision that does not depend on the request
 * precomputed. Immutable and safe to share between threads; compile a new one when the configuration changes.
 *
 * <p>{@link #decide} answers what Envoy's router would: the virtual host for the authority, the first route that
 * matches, and what its action means for this request.
 */
public final class CompiledRouteTable {
  private final RouteConfig config;
  private final VirtualHostSelector<CompiledVirtualHost> hosts;

  private CompiledRouteTable(RouteConfig config, RoutingOptions options) {
    this.config = config;
    List<CompiledVirtualHost> compiled = new ArrayList<>(config.virtualHosts().size());
    for (VirtualHostConfig vhost : config.virtualHosts()) {
      compiled.add(compileHost(config, vhost, options));
    }
    this.hosts = new VirtualHostSelector<>(compiled, h -> h.config.domains(), config.ignorePortInHostMatching());
  }

  /** Compiles a route table for Istio's sidecar filter chain ({@link RoutingOptions#ISTIO_DEFAULT}). */
  public static CompiledRouteTable compile(RouteConfig config) {
    return compile(config, RoutingOptions.ISTIO_DEFAULT);
  }

  /** Compiles a route table for the connection manager described by {@code options}. */
  public static CompiledRouteTable compile(RouteConfig config, RoutingOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    return new CompiledRouteTable(config, options);
  }

  public RouteConfig config() {
    return config;
  }

  /**
   * The decision for one request. {@code random} supplies the request's random value (runtime fractions and
   * weighted clusters share one draw, as in Envoy) and the independent draws for mirrors and faults; it is used on
   * the calling thread only, so pass a thread-safe generator ({@code ThreadLocalRandom.current()}) or one per
   * thread.
   */
  public RouteDecision decide(RequestInfo request, RandomGenerator random) {
    CompiledVirtualHost host = hosts.select(request.authority());
    if (host == null) {
      return new RouteDecision.Rejected(new Failure(ResponseFlag.NR, 404,
          "no virtual host in route configuration " + config.name() + " matches authority " + request.authority()));
    }
    String path = request.path();
    int pathEnd = request.pathEnd();
    long value = random.nextLong();
    for (CompiledRoute route : host.index.candidates(path, pathEnd)) {
      if (route.matches(request, pathEnd, value)) {
        return route.resolve(request, pathEnd, value, random);
      }
    }
    return new RouteDecision.Rejected(new Failure(ResponseFlag.NR, 404,
        "no route of virtual host " + host.config.name() + " in route configuration " + config.name()
            + " matches " + request.method() + " " + path));
  }

  private static CompiledVirtualHost compileHost(RouteConfig config, VirtualHostConfig vhost, RoutingOptions options) {
    List<CompiledRoute> routes = new ArrayList<>(vhost.routes().size());
    for (int i = 0; i < vhost.routes().size(); i++) {
      RouteRule rule = vhost.routes().get(i);
      RouteScope scope = new RouteScope(config, vhost, rule, options);
      routes.add(new CompiledRoute(i, rule, resolver(scope)));
    }
    return new CompiledVirtualHost(vhost, new RouteIndex(routes));
  }

  private static RouteResolver resolver(RouteScope scope) {
    RouteAction action = scope.route().action();
    if (action instanceof RouteAction.Forward forward) {
      return new ForwardResolver(scope, forward);
    }
    if (action instanceof RouteAction.Redirect redirect) {
      return new RedirectResolver(redirect, scope.responseMutations(null));
    }
    if (action instanceof RouteAction.DirectResponse direct) {
      return RouteResolver.fixed(
          new RouteDecision.DirectResponse(direct.status(), direct.body(), scope.responseMutations(null)));
    }
    return RouteResolver.fixed(new RouteDecision.NonForwarding(scope.virtualHost(), scope.route()));
  }

  /** A virtual host with its routes indexed. */
  private static final class CompiledVirtualHost {
    final VirtualHostConfig config;
    final RouteIndex index;

    CompiledVirtualHost(VirtualHostConfig config, RouteIndex index) {
      this.config = config;
      this.index = index;
    }
  }
}
