package dev.inboard.mesh.agent.xdsgen;

import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicyPortTrafficPolicy;
import java.util.Optional;

/** Port-level and subset-level traffic policies folded into the one that applies to a cluster. */
final class TrafficPolicies {
  private TrafficPolicies() {}

  static TrafficPolicy merge(TrafficPolicy top, Optional<TrafficPolicy> subset, int port) {
    TrafficPolicy original = forPort(top, port).orElse(top);
    if (subset.isEmpty()) {
      return copy(original);
    }
    Optional<TrafficPolicy> subsetPort = forPort(subset.get(), port);
    boolean portLevel = subsetPort.isPresent();
    TrafficPolicy s = subsetPort.orElse(subset.get());
    TrafficPolicy merged = copy(original);
    if (s.getConnectionPool() != null || portLevel) {
      merged.setConnectionPool(s.getConnectionPool());
    }
    if (s.getOutlierDetection() != null || portLevel) {
      merged.setOutlierDetection(s.getOutlierDetection());
    }
    if (s.getLoadBalancer() != null || portLevel) {
      merged.setLoadBalancer(s.getLoadBalancer());
    }
    if (s.getTls() != null || portLevel) {
      merged.setTls(s.getTls());
    }
    if (s.getTunnel() != null) {
      merged.setTunnel(s.getTunnel());
    }
    if (s.getProxyProtocol() != null) {
      merged.setProxyProtocol(s.getProxyProtocol());
    }
    if (s.getRetryBudget() != null) {
      merged.setRetryBudget(s.getRetryBudget());
    }
    return merged;
  }

  /** The port-level settings for {@code port} as a policy of their own (they do not inherit), if any. */
  static Optional<TrafficPolicy> forPort(TrafficPolicy policy, int port) {
    if (policy.getPortLevelSettings() == null) {
      return Optional.empty();
    }
    for (TrafficPolicyPortTrafficPolicy p : policy.getPortLevelSettings()) {
      if (p.getPort() != null && p.getPort().getNumber() != null && p.getPort().getNumber() == port) {
        TrafficPolicy out = new TrafficPolicy();
        out.setConnectionPool(p.getConnectionPool());
        out.setLoadBalancer(p.getLoadBalancer());
        out.setOutlierDetection(p.getOutlierDetection());
        out.setTls(p.getTls());
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  /** A shallow copy without port-level settings. */
  private static TrafficPolicy copy(TrafficPolicy p) {
    TrafficPolicy out = new TrafficPolicy();
    out.setConnectionPool(p.getConnectionPool());
    out.setLoadBalancer(p.getLoadBalancer());
    out.setOutlierDetection(p.getOutlierDetection());
    out.setTls(p.getTls());
    out.setTunnel(p.getTunnel());
    out.setProxyProtocol(p.getProxyProtocol());
    out.setRetryBudget(p.getRetryBudget());
    return out;
  }
}
