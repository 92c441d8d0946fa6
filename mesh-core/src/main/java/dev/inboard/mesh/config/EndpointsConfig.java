package dev.inboard.mesh.config;

import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * The endpoints of one cluster (Envoy's {@code ClusterLoadAssignment}), from EDS or inline in a STATIC or DNS
 * cluster. Endpoints are grouped by locality and priority; priorities run from 0 without gaps.
 */
public record EndpointsConfig(
    String clusterName,
    List<LocalityEndpoints> localities,
    int overprovisioningFactor,
    List<DropOverload> drops) {

  /** Envoy's default overprovisioning factor, in percent (1.4). */
  public static final int DEFAULT_OVERPROVISIONING_FACTOR = 140;

  public EndpointsConfig {
    Objects.requireNonNull(clusterName, "clusterName");
    localities = List.copyOf(localities);
    drops = List.copyOf(drops);
    if (overprovisioningFactor <= 0) {
      throw new IllegalArgumentException("overprovisioningFactor must be > 0, was " + overprovisioningFactor);
    }
    BitSet priorities = new BitSet();
    localities.forEach(l -> priorities.set(l.priority()));
    if (priorities.nextClearBit(0) != priorities.length()) {
      throw new IllegalArgumentException("priorities must be contiguous from 0, was " + priorities);
    }
  }

  /** No endpoints at all: a cluster whose assignment is empty or absent. */
  public static EndpointsConfig empty(String clusterName) {
    return new EndpointsConfig(clusterName, List.of(), DEFAULT_OVERPROVISIONING_FACTOR, List.of());
  }

  /** The number of endpoints over all localities and priorities. */
  public int endpointCount() {
    int count = 0;
    for (LocalityEndpoints l : localities) {
      count += l.endpoints().size();
    }
    return count;
  }

  /**
   * The endpoints of one locality at one priority.
   *
   * @param loadBalancingWeight the locality's weight, used by locality-weighted load balancing; 0 when unset
   */
  public record LocalityEndpoints(
      Locality locality, int priority, int loadBalancingWeight, List<LbEndpoint> endpoints) {
    /** Envoy's largest priority. */
    public static final int MAX_PRIORITY = 128;

    public LocalityEndpoints {
      Objects.requireNonNull(locality, "locality");
      if (priority < 0 || priority > MAX_PRIORITY) {
        throw new IllegalArgumentException("priority must be in [0, " + MAX_PRIORITY + "], was " + priority);
      }
      if (loadBalancingWeight < 0) {
        throw new IllegalArgumentException("loadBalancingWeight must be >= 0, was " + loadBalancingWeight);
      }
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * One upstream host. Kept small: thousands of these live per cluster, and instances of {@code metadata} and
   * strings are shared between endpoints that carry equal values.
   *
   * @param weight the endpoint's load balancing weight, 1 when unset
   * @param hostname the endpoint's host name (for host rewrites), empty when unset
   */
  public record LbEndpoint(SocketAddress address, HealthStatus health, int weight, Metadata metadata,
                           String hostname) {
    public LbEndpoint {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(hostname, "hostname");
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be >= 1, was " + weight);
      }
    }
  }

  /** Drop a share of requests for this cluster, counted under {@code category}. */
  public record DropOverload(String category, Fraction dropPercentage) {
    public DropOverload {
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(dropPercentage, "dropPercentage");
      if (category.isEmpty()) {
        throw new IllegalArgumentException("category must not be empty");
      }
    }
  }
}
