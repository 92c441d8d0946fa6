package dev.inboard.mesh.upstream;

import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.ClusterConfig.DiscoveryType;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.inboard.mesh.lb.ThreadLocalRandomGenerator;
import java.util.random.RandomGenerator;

/**
 * The stateful side of every cluster, keyed by cluster name, outliving snapshots: {@link #apply} creates runtimes
 * for new clusters, updates changed ones in place (new limits and endpoints take effect at once, gauges and
 * ejections carry over) and closes those that are gone.
 */
public final class UpstreamRegistry implements AutoCloseable {
  private final MeshClock clock;
  private final RandomGenerator random;
  private final Map<String, UpstreamCluster> clusters = new ConcurrentHashMap<>();

  /**
   * @param random shared by every cluster; it must be safe for concurrent use ({@link ThreadLocalRandomGenerator}
   *     in production, a seeded {@link java.util.Random} in tests)
   */
  public UpstreamRegistry(MeshClock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public synchronized void apply(MeshSnapshot snapshot) {
    for (ClusterConfig c : snapshot.clusters().values()) {
      EndpointsConfig eps = endpointsOf(snapshot, c);
      UpstreamCluster existing = clusters.get(c.name());
      if (existing == null) {
        clusters.put(c.name(), new UpstreamCluster(c, eps, clock, random));
      } else {
        existing.update(c, eps);
      }
    }
    for (String name : Set.copyOf(clusters.keySet())) {
      if (!snapshot.clusters().containsKey(name)) {
        clusters.remove(name).close();
      }
    }
  }

  /** EDS endpoints, the inline endpoints of STATIC and DNS clusters, none for cluster-provided balancing. */
  static EndpointsConfig endpointsOf(MeshSnapshot snapshot, ClusterConfig c) {
    DiscoveryType d = c.discovery();
    if (d instanceof DiscoveryType.Static s) {
      return s.endpoints();
    }
    if (d instanceof DiscoveryType.StrictDns dns) {
      return dns.endpoints();
    }
    if (d instanceof DiscoveryType.LogicalDns dns) {
      return dns.endpoints();
    }
    return snapshot.endpointsOf(c).orElseGet(() -> EndpointsConfig.empty(c.name()));
  }

  public Optional<UpstreamCluster> cluster(String name) {
    return Optional.ofNullable(clusters.get(name));
  }

  public Set<String> clusterNames() {
    return Set.copyOf(clusters.keySet());
  }

  @Override
  public synchronized void close() {
    clusters.values().forEach(UpstreamCluster::close);
    clusters.clear();
  }
}
