package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.Locality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts of one priority, split by availability and by locality, as they stood when the load balancer was
 * built. Effective locality weights follow Envoy: {@code weight * min(1, overprovisioning * available / total)}.
 */
public final class HostSet {
  final int priority;
  final Host[] all;
  final Host[] healthy;
  final Host[] degraded;
  final Locality[] localities;
  final int[] localityWeights;
  final Host[][] allPerLocality;
  final Host[][] healthyPerLocality;
  final Host[][] degradedPerLocality;
  final double[] healthyLocalityWeights;
  final double[] degradedLocalityWeights;

  HostSet(int priority, List<Host> hosts, Map<Locality, Integer> weights, int overprovisioningFactor) {
    this.priority = priority;
    this.all = hosts.toArray(new Host[0]);
    this.healthy = hosts.stream().filter(Host::healthy).toArray(Host[]::new);
    this.degraded = hosts.stream().filter(Host::degraded).toArray(Host[]::new);
    Map<Locality, List<Host>> byLocality = new LinkedHashMap<>();
    for (Host h : hosts) {
      byLocality.computeIfAbsent(h.locality(), l -> new ArrayList<>()).add(h);
    }
    int n = byLocality.size();
    localities = byLocality.keySet().toArray(new Locality[0]);
    allPerLocality = new Host[n][];
    healthyPerLocality = new Host[n][];
    degradedPerLocality = new Host[n][];
    localityWeights = new int[n];
    healthyLocalityWeights = new double[n];
    degradedLocalityWeights = new double[n];
    for (int i = 0; i < n; i++) {
      List<Host> lh = byLocality.get(localities[i]);
      allPerLocality[i] = lh.toArray(new Host[0]);
      healthyPerLocality[i] = lh.stream().filter(Host::healthy).toArray(Host[]::new);
      degradedPerLocality[i] = lh.stream().filter(Host::degraded).toArray(Host[]::new);
      int weight = weights.getOrDefault(localities[i], 0);
      this.localityWeights[i] = weight;
      healthyLocalityWeights[i] = effective(weight, healthyPerLocality[i].length, lh.size(), overprovisioningFactor);
      degradedLocalityWeights[i] = effective(weight, degradedPerLocality[i].length, lh.size(), overprovisioningFactor);
    }
  }

  private static double effective(int weight, int available, int total, int overprovisioningFactor) {
    if (available == 0 || total == 0) {
      return 0;
    }
    return weight * Math.min(1.0, overprovisioningFactor / 100.0 * available / total);
  }

  public int priority() {
    return priority;
  }

  public int size() {
    return all.length;
  }

  public int healthyCount() {
    return healthy.length;
  }

  public int degradedCount() {
    return degraded.length;
  }

  /** Envoy's panic test: healthy plus degraded below the threshold share (in percent) of all hosts. */
  boolean inPanic(double panicThresholdPercent) {
    if (panicThresholdPercent <= 0) {
      return false;
    }
    if (all.length == 0) {
      return true;
    }
    double available = 100.0 * (healthy.length + degraded.length) / all.length;
    return available < panicThresholdPercent;
  }
}
