package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders for load balancer tests. */
final class Hosts {
  static final String CLUSTER = "outbound|9080|v1|reviews.default.svc.cluster.local";
  static final Locality ZONE_A = new Locality("us-east1", "us-east1-a", "");
  static final Locality ZONE_B = new Locality("us-east1", "us-east1-b", "");

  private Hosts() {}

  static Host host(String ip, int weight, HealthStatus health, Locality locality, int priority) {
    return new Host(new LbEndpoint(new SocketAddress(ip, 9080), health, weight, Metadata.EMPTY, ""), locality,
        priority);
  }

  static Host host(String ip) {
    return host(ip, 1, HealthStatus.HEALTHY, ZONE_A, 0);
  }

  static ClusterLoadBalancer lb(LbPolicy policy, List<Host> hosts) {
    return lb(policy, CommonLbConfig.DEFAULT, hosts, Map.of(), 7);
  }

  static ClusterLoadBalancer lb(LbPolicy policy, CommonLbConfig common, List<Host> hosts,
      Map<Integer, Map<Locality, Integer>> localityWeights, long seed) {
    return ClusterLoadBalancer.build(CLUSTER, policy, common, 140, hosts, localityWeights, new Random(seed));
  }

  static CommonLbConfig panicThreshold(double percent) {
    return new CommonLbConfig(Fraction.ofPercent(percent), false);
  }

  static Map<String, Integer> count(ClusterLoadBalancer lb, PickRequest request, int picks) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      PickResult r = lb.pick(request);
      if (!(r instanceof Host h)) {
        throw new AssertionError("no host: " + r);
      }
      counts.merge(h.address().host(), 1, Integer::sum);
    }
    return counts;
  }
}
