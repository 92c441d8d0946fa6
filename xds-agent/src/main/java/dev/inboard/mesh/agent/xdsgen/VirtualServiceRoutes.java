package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.inboard.mesh.agent.config.ConfigResource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP routes of one VirtualService on one outbound listener port, as istiod builds them for a sidecar: one
 * route per {@code match} entry (or one for an {@code http} entry without matches), in order, stopping after the
 * first route that matches every request. Entries for another port or another source (labels, namespace, gateways)
 * are left out, so are entries that cannot become valid Envoy routes (with a note).
 */
final class VirtualServiceRoutes {
  /** The gateway name meaning "sidecars". */
  static final String MESH_GATEWAY = "mesh";
  /** The API version istiod names VirtualServices by in route metadata. */
  static final String CONFIG_API = "/apis/networking.istio.io/v1/namespaces/";

  private VirtualServiceRoutes() {}

  /** The routes for the proxy on {@code ctx.listenPort()}; empty when none applies. */
  static List<Route> build(ConfigResource<VirtualService> vs, RouteActions.Context ctx, ProxyView proxy,
      Consumer<String> notes) {
    List<HTTPRoute> http = vs.spec().getHttp() == null ? List.of() : vs.spec().getHttp();
    List<Route> out = new ArrayList<>();
    for (int i = 0; i < http.size(); i++) {
      HTTPRoute in = http.get(i);
      String where = vs.displayName() + ": http[" + i + "]"
          + (in.getName() == null || in.getName().isEmpty() ? "" : " (" + in.getName() + ")");
      if (in.getDelegate() != null) {
        notes.accept(where + ": delegation to VirtualService " + in.getDelegate().getNamespace() + "/"
            + in.getDelegate().getName() + " is not supported; the route is left out");
        continue;
      }
      List<HTTPMatchRequest> matches = in.getMatch() == null ? List.of() : in.getMatch();
      if (matches.isEmpty()) {
        translate(vs, in, Optional.empty(), ctx, proxy, where, notes).ifPresent(out::add);
        break;
      }
      boolean catchAll = false;
      for (HTTPMatchRequest match : matches) {
        Optional<Route> route = translate(vs, in, Optional.of(match), ctx, proxy, where, notes);
        if (route.isPresent()) {
          out.add(route.get());
          if (RouteMatches.isCatchAll(route.get())) {
            catchAll = true;
            break;
          }
        }
      }
      if (catchAll) {
        break;
      }
    }
    return out;
  }

  private static Optional<Route> translate(ConfigResource<VirtualService> vs, HTTPRoute in,
      Optional<HTTPMatchRequest> match, RouteActions.Context ctx, ProxyView proxy, String where,
      Consumer<String> notes) {
    if (match.isPresent()) {
      HTTPMatchRequest m = match.get();
      if (m.getPort() != null && m.getPort() != 0 && m.getPort() != ctx.listenPort()) {
        return Optional.empty();
      }
      if (!appliesToSource(m, proxy)) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(route(vs, in, match, ctx, notes));
    } catch (SkippedRoute | IllegalArgumentException e) {
      notes.accept(where + ": " + e.getMessage() + "; the route is left out");
      return Optional.empty();
    }
  }

  /** istiod's source check: a match's {@code gateways} must name {@code mesh}; else labels and namespace apply. */
  static boolean appliesToSource(HTTPMatchRequest match, ProxyView proxy) {
    if (match.getGateways() != null && !match.getGateways().isEmpty()) {
      return match.getGateways().contains(MESH_GATEWAY);
    }
    Map<String, String> sourceLabels = match.getSourceLabels() == null ? Map.of() : match.getSourceLabels();
    if (!proxy.labels().entrySet().containsAll(sourceLabels.entrySet())) {
      return false;
    }
    String sourceNamespace = match.getSourceNamespace();
    return sourceNamespace == null || sourceNamespace.isEmpty() || sourceNamespace.equals(proxy.namespace());
  }

  private static Route route(ConfigResource<VirtualService> vs, HTTPRoute in, Optional<HTTPMatchRequest> match,
      RouteActions.Context ctx, Consumer<String> notes) {
    String name = in.getName() == null ? "" : in.getName();
    if (match.isPresent() && match.get().getName() != null && !match.get().getName().isEmpty()) {
      name = name + "." + match.get().getName();
    }
    Route.Builder out = Route.newBuilder()
        .setName(name)
        .setMatch(match.map(RouteMatches::translate).orElseGet(RouteMatches::catchAll))
        .setMetadata(configMetadata(vs));
    match.map(HTTPMatchRequest::getStatPrefix).filter(p -> !p.isEmpty()).ifPresent(out::setStatPrefix);

    HeaderOperations headers = in.getHeaders() == null ? HeaderOperations.NONE : HeaderOperations.of(in.getHeaders());
    out.addAllRequestHeadersToAdd(headers.requestHeadersToAdd())
        .addAllResponseHeadersToAdd(headers.responseHeadersToAdd())
        .addAllRequestHeadersToRemove(headers.requestHeadersToRemove())
        .addAllResponseHeadersToRemove(headers.responseHeadersToRemove());

    if (in.getRedirect() != null) {
      RouteActions.redirect(out, in.getRedirect(), ctx.listenPort());
    } else if (in.getDirectResponse() != null) {
      RouteActions.directResponse(out, in.getDirectResponse());
    } else {
      RouteActions.forward(out, in, headers, ctx);
    }
    out.setDecorator(Decorator.newBuilder().setOperation(operation(out, vs.name(), ctx.listenPort())));
    String where = vs.displayName() + ": " + (name.isEmpty() ? "route" : "route " + name);
    if (in.getFault() != null) {
      out.putTypedPerFilterConfig(PerFilterConfigs.FAULT_FILTER,
          Any.pack(PerFilterConfigs.fault(in.getFault(), note -> notes.accept(where + ": " + note))));
    }
    if (in.getCorsPolicy() != null) {
      out.putTypedPerFilterConfig(PerFilterConfigs.CORS_FILTER, Any.pack(PerFilterConfigs.cors(in.getCorsPolicy())));
    }
    return out.build();
  }

  /**
   * The span name: {@code <host>:<port><path>} when the route forwards to one {@code outbound|...} cluster, else
   * {@code <VirtualService name>:<listener port><path>}; the path is {@code <prefix>*}, the exact path or the regex.
   */
  static String operation(Route.Builder route, String vsName, int listenPort) {
    RouteMatch m = route.getMatch();
    String path = switch (m.getPathSpecifierCase()) {
      case PREFIX -> m.getPrefix() + "*";
      case PATH -> m.getPath();
      case SAFE_REGEX -> m.getSafeRegex().getRegex();
      default -> "/*";
    };
    if (route.hasRoute() && !route.getRoute().getCluster().isEmpty()) {
      String[] parts = route.getRoute().getCluster().split("\\|", -1);
      if (parts.length == 4 && (parts[0].equals("outbound") || parts[0].equals("inbound"))) {
        try {
          return parts[3] + ":" + Integer.parseInt(parts[1]) + path;
        } catch (NumberFormatException e) {
          // not a subset key: named after the VirtualService below
        }
      }
    }
    return vsName + ":" + listenPort + path;
  }

  /** {@code istio.config}: the VirtualService a route came from, as istiod records it. */
  static Metadata configMetadata(ConfigResource<VirtualService> vs) {
    String path = CONFIG_API + vs.namespace() + "/virtual-service/" + vs.name();
    return Metadata.newBuilder()
        .putFilterMetadata("istio", Struct.newBuilder()
            .putFields("config", Value.newBuilder().setStringValue(path).build()).build())
        .build();
  }
}
