package dev.inboard.mesh.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One route of a virtual host (Envoy's {@code route.v3.Route}): a match, an action, and what to decorate the request
 * with.
 *
 * @param name the route's name (Istio: {@code default}, or the VirtualService route name); may be empty
 * @param decoratorOperation the span name, e.g. {@code reviews.default.svc.cluster.local:9080/*}
 * @param typedPerFilterConfig overrides keyed by HTTP filter name, e.g. {@code envoy.filters.http.fault}
 */
public record RouteRule(
    String name,
    RouteMatch match,
    RouteAction action,
    Optional<String> decoratorOperation,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    Map<String, FilterOverride> typedPerFilterConfig,
    Metadata metadata) {

  public RouteRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(decoratorOperation, "decoratorOperation");
    Objects.requireNonNull(requestHeaders, "requestHeaders");
    Objects.requireNonNull(responseHeaders, "responseHeaders");
    typedPerFilterConfig = Map.copyOf(typedPerFilterConfig);
    Objects.requireNonNull(metadata, "metadata");
  }
}
