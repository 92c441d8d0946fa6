package dev.inboard.mesh.upstream;

import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.lb.ClusterLoadBalancer;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.CircuitBreaker;
import dev.inboard.mesh.resilience.OutlierDetector;
import dev.inboard.mesh.resilience.UpstreamFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The runtime of one cluster: its hosts (kept by address across endpoint updates, with their active requests and
 * ejections), its circuit breaker gauges, its outlier detector and its load balancer. {@link #update} applies a new
 * config or endpoint set in place; an identical update changes nothing, so load balancer cursors survive snapshot
 * swaps that do not touch the cluster. Picking and reporting are thread-safe; equal-weight round robin, least
 * request, random and the hashing policies pick without locks.
 */
public final class UpstreamCluster implements AutoCloseable {
  private final String name;
  private final MeshClock clock;
  private final RandomGenerator random;
  private final CircuitBreaker circuitBreaker;
  private final Map<SocketAddress, Host> hosts = new LinkedHashMap<>();
  private volatile ClusterConfig config;
  private volatile EndpointsConfig endpoints;
  private volatile ClusterLoadBalancer loadBalancer;
  private volatile @Nullable OutlierDetector outlierDetector;

  UpstreamCluster(ClusterConfig config, EndpointsConfig endpoints, MeshClock clock, RandomGenerator random) {
    this.name = config.name();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.config = config;
    this.endpoints = endpoints;
    this.circuitBreaker = new CircuitBreaker(name, config.circuitBreakers());
    synchronized (this) {
      syncHosts(endpoints);
      this.loadBalancer = build();
      syncOutlierDetection(config.outlierDetection());
    }
  }

  /** Applies a new config and endpoint set for this cluster (same name); nothing happens when both are equal. */
  public synchronized void update(ClusterConfig newConfig, EndpointsConfig newEndpoints) {
    if (!newConfig.name().equals(name)) {
      throw new IllegalArgumentException("cluster " + newConfig.name() + " is not " + name);
    }
    if (newConfig.equals(config) && newEndpoints.equals(endpoints)) {
      return;
    }
    config = newConfig;
    endpoints = newEndpoints;
    circuitBreaker.reconfigure(newConfig.circuitBreakers());
    syncHosts(newEndpoints);
    syncOutlierDetection(newConfig.outlierDetection());
    loadBalancer = build();
  }

  private void syncHosts(EndpointsConfig eps) {
    Map<SocketAddress, Host> next = new LinkedHashMap<>();
    for (LocalityEndpoints l : eps.localities()) {
      for (LbEndpoint e : l.endpoints()) {
        if (next.containsKey(e.address())) {
          continue;
        }
        Host host = hosts.get(e.address());
        if (host == null) {
          host = new Host(e, l.locality(), l.priority());
        } else {
          host.update(e, l.locality(), l.priority());
        }
        next.put(e.address(), host);
      }
    }
    hosts.clear();
    hosts.putAll(next);
  }

  private void syncOutlierDetection(Optional<OutlierDetection> wanted) {
    OutlierDetector current = outlierDetector;
    if (wanted.isEmpty()) {
      if (current != null) {
        current.close();
        outlierDetector = null;
        hosts.values().forEach(h -> h.setEjected(false));
      }
      return;
    }
    if (current == null) {
      current = new OutlierDetector(name, wanted.get(), clock, random, this::rebuild);
      outlierDetector = current;
    } else {
      current.reconfigure(wanted.get());
    }
    current.hostsChanged(List.copyOf(hosts.values()));
  }

  /** Rebuilds the load balancer from the hosts as they stand (after an ejection or unejection). */
  synchronized void rebuild() {
    loadBalancer = build();
  }

  private ClusterLoadBalancer build() {
    Map<Integer, Map<Locality, Integer>> localityWeights = new HashMap<>();
    for (LocalityEndpoints l : endpoints.localities()) {
      localityWeights.computeIfAbsent(l.priority(), p -> new HashMap<>())
          .putIfAbsent(l.locality(), l.loadBalancingWeight());
    }
    return ClusterLoadBalancer.build(name, config.lbPolicy(), config.commonLbConfig(),
        endpoints.overprovisioningFactor(), new ArrayList<>(hosts.values()), localityWeights, random);
  }

  public String name() {
    return name;
  }

  public ClusterConfig config() {
    return config;
  }

  public EndpointsConfig endpoints() {
    return endpoints;
  }

  /** Picks an endpoint; the caller counts the request on the host ({@link Host#requestStarted()}). */
  public PickResult pick(PickRequest request) {
    return loadBalancer.pick(request);
  }

  public ClusterLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  public Optional<OutlierDetector> outlierDetector() {
    return Optional.ofNullable(outlierDetector);
  }

  /** The current hosts, in endpoint order. */
  public synchronized List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The upstream answered {@code status}; outlier detection counts it when the cluster has it. */
  public void reportHttpStatus(Host host, int status) {
    OutlierDetector od = outlierDetector;
    if (od != null) {
      od.reportHttpStatus(host, status);
    }
  }

  public void reportFailure(Host host, UpstreamFailure failure) {
    OutlierDetector od = outlierDetector;
    if (od != null) {
      od.reportFailure(host, failure);
    }
  }

  public void reportConnectSuccess(Host host) {
    OutlierDetector od = outlierDetector;
    if (od != null) {
      od.reportConnectSuccess(host);
    }
  }

  @Override
  public synchronized void close() {
    OutlierDetector od = outlierDetector;
    if (od != null) {
      od.close();
    }
  }
}
