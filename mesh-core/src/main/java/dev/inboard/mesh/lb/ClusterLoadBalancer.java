package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's load balancer, compiled from its hosts as they stand (membership, EDS health, outlier ejection):
 * priority loads and panic, locality weights, and one picker per host source. Rebuild it when any of those change;
 * picking is thread-safe. The steps of a pick follow Envoy: choose a priority from the priority loads (by the
 * request's hash when it has one), use every host of that priority when it is in panic, else pick a locality by
 * effective weight when locality-weighted balancing is on, then a host by the policy.
 */
public final class ClusterLoadBalancer {
  private final String cluster;
  private final boolean hashing;
  private final boolean localityWeighted;
  private final RandomGenerator random;
  private final HostSet[] sets;
  private final PriorityLoad load;
  private final @Nullable HostPicker[] allPickers;
  private final @Nullable HostPicker[] healthyPickers;
  private final @Nullable HostPicker[] degradedPickers;
  private final @Nullable HostPicker[][] healthyLocalityPickers;
  private final @Nullable HostPicker[][] degradedLocalityPickers;
  private final @Nullable EdfScheduler[] healthyLocalities;
  private final @Nullable EdfScheduler[] degradedLocalities;
  private final PickResult.NoHost noHost;

  /**
   * @param hosts every host of the cluster, any priority
   * @param localityWeights per priority, the EDS weight of each locality
   */
  public static ClusterLoadBalancer build(String cluster, LbPolicy policy, CommonLbConfig common,
      int overprovisioningFactor, List<Host> hosts, Map<Integer, Map<Locality, Integer>> localityWeights,
      RandomGenerator random) {
    return new ClusterLoadBalancer(cluster, policy, common, overprovisioningFactor, hosts, localityWeights, random);
  }

  private ClusterLoadBalancer(String cluster, LbPolicy policy, CommonLbConfig common, int overprovisioningFactor,
      List<Host> hosts, Map<Integer, Map<Locality, Integer>> localityWeights, RandomGenerator random) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.random = Objects.requireNonNull(random, "random");
    this.hashing = policy instanceof LbPolicy.RingHash || policy instanceof LbPolicy.Maglev;
    this.localityWeighted = common.localityWeighted();
    // Each host's priority is read once: an update may change it while this balancer is being built.
    int[] priorityOf = new int[hosts.size()];
    int priorities = 0;
    for (int i = 0; i < priorityOf.length; i++) {
      priorityOf[i] = hosts.get(i).priority();
      priorities = Math.max(priorities, priorityOf[i] + 1);
    }
    List<List<Host>> byPriority = new ArrayList<>();
    for (int p = 0; p < priorities; p++) {
      byPriority.add(new ArrayList<>());
    }
    for (int i = 0; i < priorityOf.length; i++) {
      byPriority.get(priorityOf[i]).add(hosts.get(i));
    }
    sets = new HostSet[priorities];
    for (int p = 0; p < priorities; p++) {
      sets[p] = new HostSet(p, byPriority.get(p), localityWeights.getOrDefault(p, Map.of()), overprovisioningFactor);
    }
    // Envoy rounds the configured percentage to a whole percent.
    double panicThreshold = Math.round(common.healthyPanicThreshold().perMillion() / 10_000.0);
    load = PriorityLoad.compute(sets, overprovisioningFactor, panicThreshold);

    allPickers = new HostPicker[priorities];
    healthyPickers = new HostPicker[priorities];
    degradedPickers = new HostPicker[priorities];
    healthyLocalityPickers = new HostPicker[priorities][];
    degradedLocalityPickers = new HostPicker[priorities][];
    healthyLocalities = new EdfScheduler[priorities];
    degradedLocalities = new EdfScheduler[priorities];
    for (int p = 0; p < priorities; p++) {
      HostSet s = sets[p];
      if (hashing) {
        // One table per priority and availability; in panic the healthy table spans every host.
        Host[] healthySource = load.panic[p] ? s.all : s.healthy;
        healthyPickers[p] = hashPicker(policy, s, healthySource);
        degradedPickers[p] = hashPicker(policy, s, s.degraded);
        continue;
      }
      allPickers[p] = picker(policy, s.all);
      healthyPickers[p] = picker(policy, s.healthy);
      degradedPickers[p] = picker(policy, s.degraded);
      if (localityWeighted && s.localities.length > 0) {
        healthyLocalityPickers[p] = localityPickers(policy, s.healthyPerLocality);
        degradedLocalityPickers[p] = localityPickers(policy, s.degradedPerLocality);
        healthyLocalities[p] = scheduler(s.healthyLocalityWeights);
        degradedLocalities[p] = scheduler(s.degradedLocalityWeights);
      }
    }
    noHost = new PickResult.NoHost(new Failure(ResponseFlag.UH, 503,
        "no healthy upstream for " + cluster + ": " + describe(hosts)));
  }

  private static @Nullable EdfScheduler scheduler(double[] weights) {
    EdfScheduler s = new EdfScheduler(weights.length, i -> weights[i]);
    return s.isEmpty() ? null : s;
  }

  private @Nullable HostPicker[] localityPickers(LbPolicy policy, Host[][] perLocality) {
    HostPicker[] out = new HostPicker[perLocality.length];
    for (int i = 0; i < perLocality.length; i++) {
      out[i] = picker(policy, perLocality[i]);
    }
    return out;
  }

  private @Nullable HostPicker picker(LbPolicy policy, Host[] hosts) {
    if (hosts.length == 0) {
      return null;
    }
    if (policy instanceof LbPolicy.LeastRequest lr) {
      return new LeastRequestPicker(hosts, lr.choiceCount(), lr.activeRequestBias(), random);
    }
    if (policy instanceof LbPolicy.Random) {
      return new RandomPicker(hosts, random);
    }
    return new RoundRobinPicker(hosts, random);
  }

  private @Nullable HostPicker hashPicker(LbPolicy policy, HostSet set, Host[] candidates) {
    double[] all = normalizedWeights(set, candidates);
    // Hosts of zero weight (in a locality of weight 0) get no place in the ring or table.
    List<Host> hosts = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int i = 0; i < candidates.length; i++) {
      if (all[i] > 0) {
        hosts.add(candidates[i]);
        weights.add(all[i]);
      }
    }
    if (hosts.isEmpty()) {
      return null;
    }
    Host[] h = hosts.toArray(new Host[0]);
    double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
    if (policy instanceof LbPolicy.Maglev maglev) {
      return new MaglevPicker(h, w, maglev, random);
    }
    return new RingHashPicker(h, w, (LbPolicy.RingHash) policy, random);
  }

  /**
   * Host weights normalized to sum to 1; with locality-weighted balancing each locality's share is its EDS weight
   * over the weights of localities present, split among its hosts by their weights.
   */
  private double[] normalizedWeights(HostSet set, Host[] hosts) {
    double[] out = new double[hosts.length];
    if (!localityWeighted) {
      double sum = Weights.sum(hosts);
      for (int i = 0; i < hosts.length; i++) {
        out[i] = hosts[i].weight() / sum;
      }
      return out;
    }
    Map<Locality, Long> hostWeightPerLocality = new HashMap<>();
    for (Host h : hosts) {
      hostWeightPerLocality.merge(h.locality(), (long) h.weight(), Long::sum);
    }
    double localitySum = 0;
    for (Locality l : hostWeightPerLocality.keySet()) {
      localitySum += rawLocalityWeight(set, l);
    }
    for (int i = 0; i < hosts.length; i++) {
      Locality l = hosts[i].locality();
      double share = localitySum == 0 ? 0 : rawLocalityWeight(set, l) / localitySum;
      out[i] = share * hosts[i].weight() / hostWeightPerLocality.get(l);
    }
    return out;
  }

  private static double rawLocalityWeight(HostSet set, Locality l) {
    for (int i = 0; i < set.localities.length; i++) {
      if (set.localities[i].equals(l)) {
        return set.localityWeights[i];
      }
    }
    return 0;
  }

  /** Picks a host, or says why none can take the request. */
  public PickResult pick(PickRequest request) {
    boolean hasHash = request.hash().isPresent();
    return pick(hasHash, hasHash ? request.hash().getAsLong() : 0, request);
  }

  /** {@link #pick(PickRequest)} for a request with a hash and nothing to avoid, without allocating. */
  public PickResult pickByHash(long hash) {
    return pick(true, hash, PickRequest.ANY);
  }

  private PickResult pick(boolean hasHash, long hash, PickRequest request) {
    int attempts = 1 + request.hostSelectionRetryMaxAttempts();
    @Nullable Host last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      Host host = pickOnce(hash, hasHash, attempt);
      if (host == null) {
        return noHost;
      }
      if (!request.avoidHosts().contains(host.address())) {
        return host;
      }
      last = host;
    }
    return Objects.requireNonNull(last);
  }

  private @Nullable Host pickOnce(long hash, boolean hasHash, int attempt) {
    if (sets.length == 0) {
      return null;
    }
    // Hashing policies choose the priority by the hash too, so a hash keeps its priority; others draw at random.
    int percentile = hashing && hasHash ? (int) Long.remainderUnsigned(hash, 100) : random.nextInt(100);
    int choice = load.choose(percentile);
    boolean degraded = choice < 0;
    int p = degraded ? -1 - choice : choice;
    if (p >= sets.length) {
      return null;
    }
    HostPicker picker;
    if (load.panic[p]) {
      picker = hashing ? healthyPickers[p] : allPickers[p];
    } else {
      picker = degraded ? degradedPickers[p] : healthyPickers[p];
      EdfScheduler localities = degraded ? degradedLocalities[p] : healthyLocalities[p];
      if (localities != null) {
        int l = localities.pick();
        HostPicker[] perLocality = degraded ? degradedLocalityPickers[p] : healthyLocalityPickers[p];
        if (l >= 0 && perLocality != null && perLocality[l] != null) {
          picker = perLocality[l];
        }
      }
    }
    return picker == null ? null : picker.pick(hash, hasHash, attempt);
  }

  public String cluster() {
    return cluster;
  }

  /** The priority loads and panic state this balancer was built with. */
  public PriorityLoad priorityLoad() {
    return load;
  }

  /** The hosts of each priority as they stood at build time. */
  public List<HostSet> hostSets() {
    return List.of(sets);
  }

  /** Why no host is available: {@code 2 of 2 endpoints ejected by outlier detection}, {@code no endpoints}. */
  static String describe(List<Host> hosts) {
    if (hosts.isEmpty()) {
      return "no endpoints";
    }
    int ejected = 0;
    int unhealthy = 0;
    int draining = 0;
    int degraded = 0;
    for (Host h : hosts) {
      HealthStatus health = h.endpoint().health();
      if (h.ejected()) {
        ejected++;
      } else if (health == HealthStatus.DRAINING) {
        draining++;
      } else if (health == HealthStatus.DEGRADED) {
        degraded++;
      } else if (!h.healthy()) {
        unhealthy++;
      }
    }
    int total = hosts.size();
    List<String> parts = new ArrayList<>();
    if (ejected > 0) {
      parts.add(ejected + " of " + total + " endpoints ejected by outlier detection");
    }
    if (unhealthy > 0) {
      parts.add(unhealthy + " of " + total + " endpoints unhealthy");
    }
    if (draining > 0) {
      parts.add(draining + " of " + total + " endpoints draining");
    }
    if (degraded > 0) {
      parts.add(degraded + " of " + total + " endpoints degraded");
    }
    if (parts.isEmpty()) {
      parts.add(total + " endpoints, none selectable");
    }
    return String.join(", ", parts);
  }
}
