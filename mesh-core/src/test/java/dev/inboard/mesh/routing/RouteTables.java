package dev.inboard.mesh.routing;

import dev.inboard.mesh.xds.parse.RouteConfigJson;
import java.util.Map;
import java.util.SplittableRandom;

/** Route tables from protojson, and requests, for the routing tests. */
final class RouteTables {
  private RouteTables() {}

  /** A table with one virtual host for every authority holding these routes (a JSON array's elements). */
  static CompiledRouteTable routes(String routesJson) {
    return table("""
        {"name": "test", "virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [%s]}]}
        """.formatted(routesJson));
  }

  static CompiledRouteTable table(String routeConfigJson) {
    return CompiledRouteTable.compile(RouteConfigJson.parse(routeConfigJson));
  }

  static RequestInfo get(String path) {
    return request("GET", "svc", path, Map.of());
  }

  static RequestInfo get(String path, Map<String, String> headers) {
    return request("GET", "svc", path, headers);
  }

  static RequestInfo request(String method, String authority, String path, Map<String, String> headers) {
    return RequestInfo.of(method, "http", authority, path, Headers.single(headers));
  }

  static SplittableRandom random() {
    return new SplittableRandom(42);
  }

  /** The route name a request lands on, or {@code NR} / the decision kind when not forwarded. */
  static String routeName(CompiledRouteTable table, RequestInfo request) {
    RouteDecision decision = table.decide(request, random());
    if (decision instanceof RouteDecision.Forward forward) {
      return forward.route().name();
    }
    if (decision instanceof RouteDecision.Rejected rejected) {
      return rejected.failure().flag().code();
    }
    return decision.getClass().getSimpleName();
  }

  static RouteDecision.Forward forward(CompiledRouteTable table, RequestInfo request) {
    return (RouteDecision.Forward) table.decide(request, random());
  }
}
