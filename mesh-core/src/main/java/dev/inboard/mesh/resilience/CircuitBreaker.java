package dev.inboard.mesh.resilience;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.CircuitBreakers.RetryBudget;
import dev.inboard.mesh.config.CircuitBreakers.Thresholds;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Envoy's circuit breakers for one cluster: per routing priority, gauges of open connections, pending requests,
 * active requests and active retries, each checked against its limit when it is about to rise. These are
 * concurrency limits, not failure-rate breakers: a full gauge rejects at once (UO, 503). The one wait is Envoy's
 * HTTP/1.1 connection pool's: a request finding every connection busy waits as pending ({@link #awaitConnection}).
 * Admission is one compare-and-set loop on the gauge; limits are swapped in place when the cluster's config
 * changes, and gauges above a lowered limit drain naturally while new work is refused.
 *
 * <p>With a retry budget, the retry limit is {@code max(min_retry_concurrency, budget * (active + pending
 * requests))} instead of {@code max_retries}.
 */
public final class CircuitBreaker {
  private final String cluster;
  private final AtomicLong[][] gauges = new AtomicLong[RoutingPriority.values().length][Resource.values().length];
  private volatile CircuitBreakers config;
  /** Notified when a connection is given back, for requests waiting as pending. */
  private final Object connectionReleased = new Object();
  private final Runnable connectionGivenBack = this::connectionGivenBack;

  public CircuitBreaker(String cluster, CircuitBreakers config) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.config = Objects.requireNonNull(config, "config");
    for (AtomicLong[] row : gauges) {
      for (int r = 0; r < row.length; r++) {
        row[r] = new AtomicLong();
      }
    }
  }

  /** Applies new limits; work already admitted keeps its permits. */
  public void reconfigure(CircuitBreakers newConfig) {
    this.config = Objects.requireNonNull(newConfig, "newConfig");
  }

  public CircuitBreakers config() {
    return config;
  }

  /** Takes one unit of {@code resource} if its gauge is below the limit. */
  public Admission tryAcquire(Resource resource, RoutingPriority priority) {
    AtomicLong gauge = gauges[priority.ordinal()][resource.ordinal()];
    long limit = limit(resource, priority);
    return tryIncrement(gauge, limit) ? new Permit(gauge) : new Admission.Rejected(overflow(resource, priority, limit));
  }

  /**
   * The allocation-free form of {@link #tryAcquire}: true when one unit was taken, which the caller must give back
   * with exactly one {@link #release}; on false, {@link #overflow} describes the refusal.
   */
  public boolean tryTake(Resource resource, RoutingPriority priority) {
    return tryIncrement(gauges[priority.ordinal()][resource.ordinal()], limit(resource, priority));
  }

  /** Gives back a unit taken with {@link #tryTake}. */
  public void release(Resource resource, RoutingPriority priority) {
    gauges[priority.ordinal()][resource.ordinal()].decrementAndGet();
  }

  /**
   * A connection for one HTTP/1.1 upstream request, as Envoy's HTTP/1 connection pool hands them out (one request
   * per connection at a time): at once while fewer than {@code max_connections} are in use; else the request waits
   * as pending, if fewer than {@code max_pending_requests} already wait, until a connection is given back; else it
   * overflows (UO, 503). Empty when the wait ends unserved: {@code deadlineNanos} ({@link System#nanoTime} time)
   * passed or {@code abandoned} turned true (checked at least every 10 ms).
   *
   * @return a {@link Permit} for the connection (its release wakes a waiter), or {@link Admission.Rejected}
   */
  public Optional<Admission> awaitConnection(RoutingPriority priority, long deadlineNanos, BooleanSupplier abandoned)
      throws InterruptedException {
    AtomicLong connections = gauges[priority.ordinal()][Resource.CONNECTIONS.ordinal()];
    if (tryIncrement(connections, limit(Resource.CONNECTIONS, priority))) {
      return Optional.of(new Permit(connections, connectionGivenBack));
    }
    AtomicLong pending = gauges[priority.ordinal()][Resource.PENDING_REQUESTS.ordinal()];
    long pendingLimit = limit(Resource.PENDING_REQUESTS, priority);
    if (!tryIncrement(pending, pendingLimit)) {
      return Optional.of(new Admission.Rejected(overflow(Resource.PENDING_REQUESTS, priority, pendingLimit)));
    }
    try {
      synchronized (connectionReleased) {
        while (!tryIncrement(connections, limit(Resource.CONNECTIONS, priority))) {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0 || abandoned.getAsBoolean()) {
            return Optional.empty();
          }
          connectionReleased.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 10)));
        }
      }
      return Optional.of(new Permit(connections, connectionGivenBack));
    } finally {
      pending.decrementAndGet();
    }
  }

  private void connectionGivenBack() {
    if (gauges[RoutingPriority.DEFAULT.ordinal()][Resource.PENDING_REQUESTS.ordinal()].get() > 0
        || gauges[RoutingPriority.HIGH.ordinal()][Resource.PENDING_REQUESTS.ordinal()].get() > 0) {
      synchronized (connectionReleased) {
        connectionReleased.notifyAll();
      }
    }
  }

  private static boolean tryIncrement(AtomicLong gauge, long limit) {
    long current;
    do {
      current = gauge.get();
      if (current >= limit) {
        return false;
      }
    } while (!gauge.compareAndSet(current, current + 1));
    return true;
  }

  /** The failure to report when {@code resource} is at its limit. */
  public Failure overflow(Resource resource, RoutingPriority priority) {
    return overflow(resource, priority, limit(resource, priority));
  }

  /** The limit in force for {@code resource}, computing the retry budget from the current gauges. */
  public long limit(Resource resource, RoutingPriority priority) {
    Thresholds t = priority == RoutingPriority.HIGH ? config.highPriority() : config.defaultPriority();
    switch (resource) {
      case CONNECTIONS:
        return t.maxConnections();
      case PENDING_REQUESTS:
        return t.maxPendingRequests();
      case REQUESTS:
        return t.maxRequests();
      default:
        if (t.retryBudget().isEmpty()) {
          return t.maxRetries();
        }
        RetryBudget budget = t.retryBudget().get();
        long outstanding = active(Resource.REQUESTS, priority) + active(Resource.PENDING_REQUESTS, priority);
        long allowed = (long) (outstanding * (budget.budget().perMillion() / 1_000_000.0));
        return Math.max(budget.minRetryConcurrency(), allowed);
    }
  }

  /** The gauge: units of {@code resource} in use now. */
  public long active(Resource resource, RoutingPriority priority) {
    return gauges[priority.ordinal()][resource.ordinal()].get();
  }

  private Failure overflow(Resource resource, RoutingPriority priority, long limit) {
    String which = priority == RoutingPriority.HIGH ? "high" : "default";
    String rule = resource == Resource.RETRIES && limitFromBudget(priority) ? "retry_budget" : resource.field();
    return new Failure(ResponseFlag.UO, 503, "upstream overflow for " + cluster + ": " + limit + " concurrent "
        + resource.noun() + " reached (" + rule + ", " + which + " priority)");
  }

  private boolean limitFromBudget(RoutingPriority priority) {
    Thresholds t = priority == RoutingPriority.HIGH ? config.highPriority() : config.defaultPriority();
    return t.retryBudget().isPresent();
  }
}
