package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.FilterOverride;
import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.HttpFilterConfig;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.VirtualHostConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One route seen with the levels above it (virtual host, route configuration), and the rules that combine them.
 */
record RouteScope(RouteConfig config, VirtualHostConfig virtualHost, RouteRule route, RoutingOptions options) {

  /**
   * Header mutations in the order Envoy applies them: a picked weighted cluster's first, then the route's, the
   * virtual host's and the route configuration's, so the least specific level has the last word; with
   * {@code most_specific_header_mutations_wins} the three levels run the other way round.
   */
  List<HeaderMutation> mutations(RouteAction.@Nullable WeightedCluster weighted, boolean request) {
    List<HeaderMutation> levels = new ArrayList<>(4);
    if (weighted != null) {
      levels.add(request ? weighted.requestHeaders() : weighted.responseHeaders());
    }
    List<HeaderMutation> chain = new ArrayList<>(3);
    chain.add(request ? route.requestHeaders() : route.responseHeaders());
    chain.add(request ? virtualHost.requestHeaders() : virtualHost.responseHeaders());
    chain.add(request ? config.requestHeaders() : config.responseHeaders());
    if (config.mostSpecificHeaderMutationsWins()) {
      Collections.reverse(chain);
    }
    levels.addAll(chain);
    levels.removeIf(HeaderMutation::isEmpty);
    return List.copyOf(levels);
  }

  List<HeaderMutation> requestMutations(RouteAction.@Nullable WeightedCluster weighted) {
    return mutations(weighted, true);
  }

  List<HeaderMutation> responseMutations(RouteAction.@Nullable WeightedCluster weighted) {
    return mutations(weighted, false);
  }

  /** The route's mirror policies, else the virtual host's, else the route configuration's. */
  List<MirrorPolicy> mirrorPolicies(RouteAction.Forward forward) {
    if (!forward.mirrorPolicies().isEmpty()) {
      return forward.mirrorPolicies();
    }
    if (!virtualHost.mirrorPolicies().isEmpty()) {
      return virtualHost.mirrorPolicies();
    }
    return config.mirrorPolicies();
  }

  /**
   * The fault policy in force: the most specific {@code typed_per_filter_config} entry for the fault filter
   * (weighted cluster, route, virtual host, route configuration) replaces the filter's own config, and a
   * {@code disabled} entry turns it off; without an entry the filter's config applies unless the filter is disabled
   * by default. Null when no fault filter runs.
   */
  @Nullable FaultConfig fault(RouteAction.@Nullable WeightedCluster weighted) {
    if (options.faultFilter().isEmpty()) {
      return null;
    }
    HttpFilterConfig.Fault filter = options.faultFilter().get();
    List<Map<String, FilterOverride>> levels = new ArrayList<>(4);
    if (weighted != null) {
      levels.add(weighted.typedPerFilterConfig());
    }
    levels.add(route.typedPerFilterConfig());
    levels.add(virtualHost.typedPerFilterConfig());
    levels.add(config.typedPerFilterConfig());
    for (Map<String, FilterOverride> level : levels) {
      FilterOverride override = level.get(filter.name());
      if (override instanceof FilterOverride.Fault fault) {
        return fault.config();
      }
      if (override instanceof FilterOverride.Disabled) {
        return null;
      }
    }
    return filter.disabled() ? null : filter.config();
  }

  Optional<RetryPolicy> retryPolicy(RouteAction.Forward forward) {
    return forward.retryPolicy().isPresent() ? forward.retryPolicy() : virtualHost.retryPolicy();
  }
}
