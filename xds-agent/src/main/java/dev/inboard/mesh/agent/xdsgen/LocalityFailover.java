package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.bootstrap.NodeInfo;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.fabric8.istio.api.api.networking.v1alpha3.LocalityLoadBalancerSetting;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * istiod's default locality failover: with outlier detection configured (failover needs it to notice unhealthy
 * endpoints) and locality balancing enabled, localities get priorities by how much of the proxy's locality they
 * share (sub-zone 0, zone 1, region 2, none 3), renumbered to run from 0 without gaps.
 */
final class LocalityFailover {
  private LocalityFailover() {}

  static void apply(List<LocalityLbEndpoints.Builder> localities, ProxyView proxy, Optional<TrafficPolicy> policy) {
    if (policy.isEmpty() || policy.get().getOutlierDetection() == null) {
      return;
    }
    Optional<LocalityLoadBalancerSetting> setting =
        ClusterLoadBalancer.localitySetting(Optional.ofNullable(policy.get().getLoadBalancer()));
    if (setting.isEmpty() || setting.get().getDistribute() != null && !setting.get().getDistribute().isEmpty()) {
      return;
    }
    NodeInfo.Locality own = proxy.node().locality();
    int[] priorities = new int[localities.size()];
    TreeSet<Integer> used = new TreeSet<>();
    for (int i = 0; i < localities.size(); i++) {
      priorities[i] = priority(own, localities.get(i).getLocality());
      used.add(priorities[i]);
    }
    List<Integer> order = List.copyOf(used);
    for (int i = 0; i < localities.size(); i++) {
      localities.get(i).setPriority(order.indexOf(priorities[i]));
    }
  }

  private static int priority(NodeInfo.Locality proxy, Locality endpoints) {
    if (!proxy.region().equals(endpoints.getRegion())) {
      return 3;
    }
    if (!proxy.zone().equals(endpoints.getZone())) {
      return 2;
    }
    return proxy.subZone().equals(endpoints.getSubZone()) ? 0 : 1;
  }
}
