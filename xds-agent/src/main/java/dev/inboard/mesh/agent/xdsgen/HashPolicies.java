package dev.inboard.mesh.agent.xdsgen;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The consistent-hash policy a route puts on its action for one destination, taken from the DestinationRule that
 * applies to the destination's host (its {@code loadBalancer.consistentHash}, refined by a port-level setting for
 * the port and by the subset's own policy).
 */
@FunctionalInterface
public interface HashPolicies {
  /** No destination has a consistent-hash load balancer. */
  HashPolicies NONE = (host, port, subset) -> Optional.empty();

  /**
   * @param host the destination's fully qualified host
   * @param port the destination's port when the route names one (or the service port, for a service's default
   *     route); empty when a VirtualService destination names no port, in which case istiod ignores port-level
   *     settings
   * @param subset the destination's subset, or empty
   */
  Optional<RouteAction.HashPolicy> forDestination(String host, OptionalInt port, String subset);
}
