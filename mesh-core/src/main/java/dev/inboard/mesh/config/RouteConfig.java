package dev.inboard.mesh.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Envoy's {@code route.v3.RouteConfiguration}: an RDS resource (istiod's sidecar route tables are named by port,
 * {@code 9080}; the grpc generator's by cluster, {@code outbound|9080||reviews.default.svc.cluster.local}) or a
 * connection manager's inline {@code route_config}.
 *
 * @param ignorePortInHostMatching match domains against the authority without its port
 * @param mirrorPolicies apply to routes and virtual hosts that have none of their own
 * @param mostSpecificHeaderMutationsWins apply header mutations from the route configuration first and the route
 *     last, so that the most specific level wins (Envoy's default is the other way round)
 */
public record RouteConfig(
    String name,
    List<VirtualHostConfig> virtualHosts,
    HeaderMutation requestHeaders,
    HeaderMutation responseHeaders,
    Map<String, FilterOverride> typedPerFilterConfig,
    List<MirrorPolicy> mirrorPolicies,
    boolean ignorePortInHostMatching,
    boolean mostSpecificHeaderMutationsWins) {

  public RouteConfig {
    Objects.requireNonNull(name, "name");
    virtualHosts = List.copyOf(virtualHosts);
    Objects.requireNonNull(requestHeaders, "requestHeaders");
    Objects.requireNonNull(responseHeaders, "responseHeaders");
    typedPerFilterConfig = Map.copyOf(typedPerFilterConfig);
    mirrorPolicies = List.copyOf(mirrorPolicies);
  }

  /**
   * Every cluster a route can send to by name: single and weighted clusters and mirror targets, in order of first
   * appearance. Clusters chosen by a request header are not known here.
   */
  public Set<String> clusterNames() {
    Set<String> names = new LinkedHashSet<>();
    mirrorPolicies.forEach(m -> names.add(m.cluster()));
    for (VirtualHostConfig vhost : virtualHosts) {
      vhost.mirrorPolicies().forEach(m -> names.add(m.cluster()));
      for (RouteRule route : vhost.routes()) {
        if (route.action() instanceof RouteAction.Forward forward) {
          if (forward.cluster() instanceof RouteAction.ClusterSpecifier.Single single) {
            names.add(single.name());
          } else if (forward.cluster() instanceof RouteAction.ClusterSpecifier.Weighted weighted) {
            weighted.clusters().forEach(c -> names.add(c.name()));
          }
          forward.mirrorPolicies().forEach(m -> names.add(m.cluster()));
        }
      }
    }
    return Collections.unmodifiableSet(names);
  }
}
