package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint of a cluster at runtime. The instance lives as long as the endpoint stays in the cluster
 * (keyed by address), so its active request count and outlier ejection survive endpoint and config updates; the
 * endpoint's EDS attributes (weight, health, locality, priority) are replaced in place.
 */
public final class Host implements PickResult {
  private final SocketAddress address;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private volatile LbEndpoint endpoint;
  private volatile Locality locality;
  private volatile int priority;
  private volatile boolean ejected;

  public Host(LbEndpoint endpoint, Locality locality, int priority) {
    this.address = endpoint.address();
    this.endpoint = endpoint;
    this.locality = Objects.requireNonNull(locality, "locality");
    this.priority = priority;
  }

  public SocketAddress address() {
    return address;
  }

  public LbEndpoint endpoint() {
    return endpoint;
  }

  public Locality locality() {
    return locality;
  }

  public int priority() {
    return priority;
  }

  public int weight() {
    return endpoint.weight();
  }

  /** Applies a new EDS view of the same address; the runtime state stays. */
  public void update(LbEndpoint newEndpoint, Locality newLocality, int newPriority) {
    if (!newEndpoint.address().equals(address)) {
      throw new IllegalArgumentException("endpoint address " + newEndpoint.address() + " is not " + address);
    }
    this.endpoint = newEndpoint;
    this.locality = Objects.requireNonNull(newLocality, "newLocality");
    this.priority = newPriority;
  }

  /** Requests sent to this host and not finished yet; least-request balancing prefers hosts with fewer. */
  public int activeRequests() {
    return activeRequests.get();
  }

  /** Call when a request is sent to this host; pair with {@link #requestFinished()}. */
  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestFinished() {
    activeRequests.decrementAndGet();
  }

  /** Whether outlier detection currently keeps this host out of load balancing. */
  public boolean ejected() {
    return ejected;
  }

  /** Set by outlier detection; the owner must rebuild the load balancer afterwards. */
  public void setEjected(boolean ejected) {
    this.ejected = ejected;
  }

  /** Healthy for load balancing: HEALTHY or UNKNOWN in EDS and not ejected. */
  public boolean healthy() {
    HealthStatus h = endpoint.health();
    return !ejected && (h == HealthStatus.HEALTHY || h == HealthStatus.UNKNOWN);
  }

  /** Degraded: used only when healthy hosts cannot carry the load. */
  public boolean degraded() {
    return !ejected && endpoint.health() == HealthStatus.DEGRADED;
  }

  @Override
  public String toString() {
    return address.toString();
  }
}
