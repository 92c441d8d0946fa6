package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.Optional;

/**
 * istiod's order of applying a merged traffic policy: HTTP/2 upgrade (so an upgraded cluster gets the HTTP/2
 * connection limits too), connection pool and retry budget, outlier detection, load balancing, TLS; ORIGINAL_DST
 * clusters always get CLUSTER_PROVIDED. Inbound clusters only get the connection pool.
 */
final class TrafficPolicyApplier {
  private TrafficPolicyApplier() {}

  static void outbound(ClusterDraft draft, TrafficPolicy policy, ServicePort port, ClusterTls.Input tls) {
    ClusterConnectionPool.h2Upgrade(draft, Optional.ofNullable(policy.getConnectionPool()));
    ClusterConnectionPool.apply(draft, Optional.ofNullable(policy.getConnectionPool()));
    ClusterConnectionPool.retryBudget(draft, Optional.ofNullable(policy.getRetryBudget()));
    if (policy.getOutlierDetection() != null) {
      ClusterOutlierDetection.apply(draft, policy.getOutlierDetection());
    }
    ClusterLoadBalancer.apply(draft, Optional.ofNullable(policy.getLoadBalancer()),
        policy.getOutlierDetection() != null);
    ClusterTls.apply(draft, tls);
    clusterProvided(draft);
  }

  static void inbound(ClusterDraft draft, Optional<TrafficPolicy> policy) {
    ClusterConnectionPool.apply(draft, policy.map(TrafficPolicy::getConnectionPool));
    clusterProvided(draft);
  }

  private static void clusterProvided(ClusterDraft draft) {
    if (draft.cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      draft.cluster.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }
  }
}
