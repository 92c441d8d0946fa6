package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLB;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBMaglev;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHashLBRingHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.LocalityLoadBalancerSetting;
import java.util.Optional;

/**
 * A DestinationRule's {@code loadBalancer} as istiod applies it. The default is LEAST_REQUEST (istiod's default
 * since 1.14); {@code consistentHash} gives RING_HASH (1024 entries unless set) or MAGLEV; PASSTHROUGH turns the
 * cluster into ORIGINAL_DST; warm-up becomes a slow-start window.
 */
final class ClusterLoadBalancer {
  static final long DEFAULT_MIN_RING_SIZE = 1024;

  private ClusterLoadBalancer() {}

  static void apply(ClusterDraft draft, Optional<LoadBalancerSettings> lb, boolean outlierDetection) {
    Cluster.Builder c = draft.cluster;
    Optional<LocalityLoadBalancerSetting> locality = localitySetting(lb);
    boolean weightedLocalities = locality.map(l -> l.getDistribute() != null && !l.getDistribute().isEmpty()
        || outlierDetection && (l.getFailover() != null && !l.getFailover().isEmpty()
            || l.getFailoverPriority() != null && !l.getFailoverPriority().isEmpty())).orElse(false);
    if (weightedLocalities) {
      c.getCommonLbConfigBuilder().setLocalityWeightedLbConfig(
          Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance());
    }
    if (c.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
      c.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
      return;
    }
    LoadBalancerSettingsSimpleLB simple = lb.map(LoadBalancerSettings::getLbPolicy)
        .filter(LoadBalancerSettingsSimple.class::isInstance).map(p -> ((LoadBalancerSettingsSimple) p).getSimple())
        .orElse(LoadBalancerSettingsSimpleLB.UNSPECIFIED);
    Optional<com.google.protobuf.Duration> warmup = lb.map(LoadBalancerSettings::getWarmupDurationSecs)
        .map(IstioDurations::proto);
    switch (simple) {
      case RANDOM -> c.setLbPolicy(Cluster.LbPolicy.RANDOM);
      case ROUND_ROBIN -> {
        c.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
        warmup.ifPresent(w -> c.setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
            .setSlowStartConfig(Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(w))));
      }
      case PASSTHROUGH -> {
        c.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
        c.setType(Cluster.DiscoveryType.ORIGINAL_DST);
        c.clearLoadAssignment();
      }
      default -> {
        c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
        warmup.ifPresent(w -> c.setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder()
            .setSlowStartConfig(Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(w))));
      }
    }
    lb.flatMap(ConsistentHashPolicies::consistentHash).ifPresent(hash -> consistentHash(c, hash));
  }

  private static void consistentHash(Cluster.Builder c, LoadBalancerSettingsConsistentHashLB hash) {
    if (hash.getHashAlgorithm() instanceof LoadBalancerSettingsConsistentHashLBMaglev maglev) {
      c.setLbPolicy(Cluster.LbPolicy.MAGLEV);
      if (maglev.getMaglev() != null && maglev.getMaglev().getTableSize() != null
          && maglev.getMaglev().getTableSize() != 0) {
        c.setMaglevLbConfig(Cluster.MaglevLbConfig.newBuilder()
            .setTableSize(UInt64Value.of(maglev.getMaglev().getTableSize())));
      }
    } else if (hash.getHashAlgorithm() instanceof LoadBalancerSettingsConsistentHashLBRingHash) {
      c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
    } else {
      long min = hash.getMinimumRingSize() != null && hash.getMinimumRingSize() != 0
          ? hash.getMinimumRingSize() : DEFAULT_MIN_RING_SIZE;
      c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
      c.setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder().setMinimumRingSize(UInt64Value.of(min)));
    }
  }

  /**
   * The locality setting in force: the rule's when it has one (unless it disables locality balancing), else the
   * mesh's, which enables it with defaults.
   */
  static Optional<LocalityLoadBalancerSetting> localitySetting(Optional<LoadBalancerSettings> lb) {
    Optional<LocalityLoadBalancerSetting> rule = lb.map(LoadBalancerSettings::getLocalityLbSetting);
    if (rule.isPresent()) {
      return Boolean.FALSE.equals(rule.get().getEnabled()) ? Optional.empty() : rule;
    }
    LocalityLoadBalancerSetting mesh = new LocalityLoadBalancerSetting();
    mesh.setEnabled(true);
    return Optional.of(mesh);
  }
}
