package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DestinationRule that applies to a destination as a proxy sees it, the way istiod looks it up: rules of the
 * proxy's namespace, then rules the service's namespace exports to the proxy, then rules the root namespace
 * exports; the most specific host (exact, else the longest wildcard) at each level; rules for one host merged; a
 * rule with a {@code workloadSelector} applies only to the proxies it selects in its own namespace.
 */
public final class DestinationRules {
  private final DestinationRuleIndex index;

  private DestinationRules(DestinationRuleIndex index) {
    this.index = index;
  }

  /** The rules of one push, indexed once for many lookups. */
  public static DestinationRules of(PushContext push) {
    return new DestinationRules(DestinationRuleIndex.of(push));
  }

  /** The rule for outbound traffic from {@code proxy} to {@code service}. */
  public Optional<ConfigResource<DestinationRule>> outbound(ProxyView proxy, MeshService service) {
    List<DestinationRuleIndex.Consolidated> rules = index.lookup(proxy.namespace(), service);
    Optional<DestinationRuleIndex.Consolidated> catchAll = Optional.empty();
    for (DestinationRuleIndex.Consolidated c : rules) {
      Optional<Map<String, String>> selector = DestinationRuleIndex.selector(c.rule().spec());
      if (selector.isEmpty()) {
        catchAll = Optional.of(c);
      } else if (c.rule().namespace().equals(proxy.namespace()) && Sidecars.selects(selector.get(), proxy.labels())) {
        return Optional.of(c.rule());
      }
    }
    return catchAll.map(DestinationRuleIndex.Consolidated::rule);
  }

  /** The rule for traffic arriving at {@code proxy} for its own {@code service}: selectors are not consulted. */
  public Optional<ConfigResource<DestinationRule>> inbound(ProxyView proxy, MeshService service) {
    Optional<ConfigResource<DestinationRule>> out = Optional.empty();
    for (DestinationRuleIndex.Consolidated c : index.lookup(proxy.namespace(), service)) {
      if (!c.hasSelector()) {
        out = Optional.of(c.rule());
      }
    }
    return out;
  }

  /**
   * The rule for outbound traffic from {@code proxy} to the service it sees as {@code hostname}; empty when the
   * proxy does not see such a service (istiod keeps rules only for the services in a proxy's scope).
   */
  public static Optional<ConfigResource<DestinationRule>> forHost(ProxyView proxy, PushContext push,
      String hostname) {
    return SidecarScope.of(proxy, push).service(hostname).flatMap(s -> of(push).outbound(proxy, s));
  }

  /**
   * istiod's MergeTrafficPolicy for one port of one subset: the rule's port-level settings for {@code port}
   * replace its top-level ones wholesale (no inheritance); then a subset policy overrides each part it sets, and
   * its own port-level settings replace everything.
   *
   * @param top the rule's {@code trafficPolicy} (an empty policy when it has none)
   */
  public static TrafficPolicy mergedPolicy(TrafficPolicy top, Optional<TrafficPolicy> subset, int port) {
    return TrafficPolicies.merge(top, subset, port);
  }

  /**
   * The hash policy a route to {@code host:port} (and {@code subset}, empty for none) gets from the applicable
   * rule's {@code loadBalancer.consistentHash}: the subset's port-level setting, else the subset's, else the
   * rule's port-level one, else the rule's.
   */
  public static Optional<RouteAction.HashPolicy> hashPolicy(ProxyView proxy, PushContext push, String host,
      int port, String subset) {
    return forHost(proxy, push, host).flatMap(dr -> ConsistentHashPolicies.of(dr.spec(), port, subset));
  }

  /** {@link #hashPolicy(ProxyView, PushContext, String, int, String)} with this push's index and a known service. */
  public Optional<RouteAction.HashPolicy> hashPolicy(ProxyView proxy, MeshService service, int port,
      String subset) {
    return outbound(proxy, service).flatMap(dr -> ConsistentHashPolicies.of(dr.spec(), port, subset));
  }
}
