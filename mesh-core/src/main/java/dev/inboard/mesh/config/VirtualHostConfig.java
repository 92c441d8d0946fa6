package dev.inboard.mesh.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's {@code route.v3.VirtualHost}: the routes for a set of authorities. Domains are unique across the route
 * configuration (case-insensitively) and are exact names, {@code *}, or carry one {@code *} at the start or the end.
 *
 * @param name e.g. {@code reviews.default.svc.cluster.local:9080}; empty in the grpc generator's inbound listener
 * @param retryPolicy applies to routes that have none of their own
 * @param cors the deprecated virtual host {@code cors} field; a CORS entry in {@code typedPerFilterConfig} wins
 * @param includeRequestAttemptCount send {@code x-envoy-attempt-count} upstream (Istio sets it)
 * @param includeAttemptCountInResponse send {@code x-envoy-attempt-count} downstream
 * @param mirrorPolicies apply to routes that have none of their own
 */
public record VirtualHostConfig(
    String name,
    List<String> domains,
    List<RouteRule> routes,
    Optional<RetryPolicy> retryPolicy,
    Optional<CorsPolicy> cors,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    Map<String, FilterOverride> typedPerFilterConfig,
    boolean includeRequestAttemptCount,
    boolean includeAttemptCountInResponse,
    List<MirrorPolicy> mirrorPolicies,
    Metadata metadata) {

  public VirtualHostConfig {
    Objects.requireNonNull(name, "name");
    domains = List.copyOf(domains);
    routes = List.copyOf(routes);
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(cors, "cors");
    Objects.requireNonNull(requestHeaders, "requestHeaders");
    Objects.requireNonNull(responseHeaders, "responseHeaders");
    typedPerFilterConfig = Map.copyOf(typedPerFilterConfig);
    mirrorPolicies = List.copyOf(mirrorPolicies);
    Objects.requireNonNull(metadata, "metadata");
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("virtual host " + name + " must have at least one domain");
    }
  }
}
