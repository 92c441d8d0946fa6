package dev.inboard.mesh.resilience;

import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.lb.Host;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's outlier detection for one cluster. Request outcomes feed per-host counters; a host whose consecutive
 * 5xx, consecutive gateway failures or (with {@code split_external_local_origin_errors}) consecutive local-origin
 * failures reach their threshold is ejected, if the enforcing percentage lets it and ejecting it keeps ejected hosts
 * within {@code max_ejection_percent} (one host may always go with {@code always_eject_one_host}). Every
 * {@code interval} the detector unejects hosts whose time is up ({@code base_ejection_time} times the host's
 * ejection multiplier, at most {@code max_ejection_time}, plus a jitter of up to {@code max_ejection_time_jitter}
 * drawn per ejection; the multiplier rises with each ejection while {@code multiplier * base < max + base}), lowers
 * by one the multiplier of each host that stayed in, and runs the success-rate and failure-percentage checks over the interval's
 * volumes. Without the split, local-origin failures count as gateway errors (connect failure as 503, timeout as 504).
 * {@code onChange} runs after every ejection and unejection, so the owner can rebuild its load balancer.
 */
public final class OutlierDetector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

  private final String cluster;
  private final MeshClock clock;
  private final RandomGenerator random;
  private final Runnable onChange;
  private final Map<Host, HostMonitor> monitors = new ConcurrentHashMap<>();
  private volatile OutlierDetection config;
  private int activeEjections;
  private MeshClock.@Nullable Cancellable timer;
  private boolean closed;

  public OutlierDetector(String cluster, OutlierDetection config, MeshClock clock, RandomGenerator random,
      Runnable onChange) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    arm();
  }

  /** New settings; counters and ejections stay, the next interval uses the new interval. */
  public synchronized void reconfigure(OutlierDetection newConfig) {
    Duration old = config.interval();
    config = Objects.requireNonNull(newConfig, "newConfig");
    if (!old.equals(newConfig.interval())) {
      arm();
    }
  }

  /** The cluster's hosts now: monitors start for new hosts, those of removed hosts go. */
  public void hostsChanged(Collection<Host> hosts) {
    boolean changed = false;
    synchronized (this) {
      Set<Host> present = new HashSet<>(hosts);
      for (Host h : hosts) {
        monitors.computeIfAbsent(h, k -> new HostMonitor());
      }
      for (Host gone : Set.copyOf(monitors.keySet())) {
        if (!present.contains(gone)) {
          monitors.remove(gone);
          if (gone.ejected()) {
            activeEjections--;
            gone.setEjected(false);
            changed = true;
          }
        }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /** A response below 500 from {@code host}. */
  public void reportSuccess(Host host) {
    HostMonitor m = monitors.get(host);
    if (m == null) {
      return;
    }
    synchronized (m) {
      m.consecutive5xx = 0;
      m.consecutiveGatewayFailure = 0;
      m.externalSuccess++;
      m.externalTotal++;
    }
  }

  /** A connection to {@code host} was established (local origin); resets local-origin failures when split. */
  public void reportConnectSuccess(Host host) {
    HostMonitor m = monitors.get(host);
    if (m == null || !config.splitExternalLocalOriginErrors()) {
      return;
    }
    synchronized (m) {
      m.consecutiveLocalOriginFailure = 0;
      m.localSuccess++;
      m.localTotal++;
    }
  }

  /** The response status of a request to {@code host}: 5xx count as failures, anything else as success. */
  public void reportHttpStatus(Host host, int status) {
    if (status >= 500) {
      reportFailure(host, UpstreamFailure.ofStatus(status));
    } else {
      reportSuccess(host);
    }
  }

  public void reportFailure(Host host, UpstreamFailure failure) {
    HostMonitor m = monitors.get(host);
    if (m == null) {
      return;
    }
    OutlierDetection c = config;
    EjectionReason reached = null;
    EjectionReason alsoReached = null;
    synchronized (m) {
      if (!failure.externalOrigin() && c.splitExternalLocalOriginErrors()) {
        m.localTotal++;
        if (++m.consecutiveLocalOriginFailure == c.consecutiveLocalOriginFailure()) {
          m.consecutiveLocalOriginFailure = 0;
          reached = EjectionReason.CONSECUTIVE_LOCAL_ORIGIN_FAILURE;
        }
      } else {
        // Without the split, connect failures count as 503 and timeouts as 504; a failed request as 500.
        boolean gateway = failure == UpstreamFailure.GATEWAY_ERROR || !failure.externalOrigin();
        m.externalTotal++;
        if (gateway) {
          if (++m.consecutiveGatewayFailure == c.consecutiveGatewayFailure()) {
            m.consecutiveGatewayFailure = 0;
            reached = EjectionReason.CONSECUTIVE_GATEWAY_FAILURE;
          }
        } else {
          m.consecutiveGatewayFailure = 0;
        }
        if (++m.consecutive5xx == c.consecutive5xx()) {
          m.consecutive5xx = 0;
          alsoReached = EjectionReason.CONSECUTIVE_5XX;
        }
      }
    }
    if (reached != null) {
      eject(host, reached);
    }
    if (alsoReached != null) {
      eject(host, alsoReached);
    }
  }

  private void eject(Host host, EjectionReason reason) {
    if (tryEject(host, reason)) {
      log.info("Ejected {} of cluster {} ({})", host, cluster, reason);
      onChange.run();
    }
  }

  private synchronized boolean tryEject(Host host, EjectionReason reason) {
    HostMonitor m = monitors.get(host);
    if (m == null || host.ejected() || closed) {
      return false;
    }
    OutlierDetection c = config;
    double ejectedPercent = 100.0 * (activeEjections + 1) / monitors.size();
    boolean allowed = ejectedPercent <= c.maxEjectionPercent() || (c.alwaysEjectOneHost() && activeEjections == 0);
    if (!allowed || random.nextInt(100) >= enforcing(c, reason)) {
      return false;
    }
    long base = c.baseEjectionTime().toNanos();
    if (m.ejectionMultiplier * base < c.maxEjectionTime().toNanos() + base) {
      m.ejectionMultiplier++;
    }
    long maxJitterMillis = c.maxEjectionTimeJitter().toMillis();
    m.jitterNanos = maxJitterMillis == 0 ? 0 : random.nextLong(maxJitterMillis + 1) * 1_000_000L;
    m.ejectedAtNanos = clock.nanoTime();
    m.ejections++;
    activeEjections++;
    host.setEjected(true);
    return true;
  }

  private static int enforcing(OutlierDetection c, EjectionReason reason) {
    switch (reason) {
      case CONSECUTIVE_5XX:
        return c.enforcingConsecutive5xx();
      case CONSECUTIVE_GATEWAY_FAILURE:
        return c.enforcingConsecutiveGatewayFailure();
      case CONSECUTIVE_LOCAL_ORIGIN_FAILURE:
        return c.enforcingConsecutiveLocalOriginFailure();
      case SUCCESS_RATE:
        return c.enforcingSuccessRate();
      case SUCCESS_RATE_LOCAL_ORIGIN:
        return c.enforcingLocalOriginSuccessRate();
      case FAILURE_PERCENTAGE_LOCAL_ORIGIN:
        return c.enforcingFailurePercentageLocalOrigin();
      default:
        return c.enforcingFailurePercentage();
    }
  }

  private synchronized void arm() {
    if (timer != null) {
      timer.cancel();
    }
    if (!closed) {
      timer = clock.schedule(this::onInterval, config.interval());
    }
  }

  private void onInterval() {
    boolean changed = unejectDue();
    changed |= IntervalChecks.run(this, monitors, config);
    if (changed) {
      onChange.run();
    }
    arm();
  }

  private synchronized boolean unejectDue() {
    OutlierDetection c = config;
    long now = clock.nanoTime();
    long base = c.baseEjectionTime().toNanos();
    long cap = c.maxEjectionTime().toNanos();
    boolean changed = false;
    for (Map.Entry<Host, HostMonitor> e : monitors.entrySet()) {
      Host host = e.getKey();
      HostMonitor m = e.getValue();
      if (!host.ejected()) {
        if (m.ejectionMultiplier > 0) {
          m.ejectionMultiplier--;
        }
        continue;
      }
      long ejectedFor = Math.min(base * m.ejectionMultiplier, cap) + m.jitterNanos;
      if (now - m.ejectedAtNanos >= ejectedFor) {
        host.setEjected(false);
        activeEjections--;
        changed = true;
        log.info("Returned {} of cluster {} to load balancing", host, cluster);
      }
    }
    return changed;
  }

  /** Ejects for an interval check (success rate, failure percentage); true when it ejected. */
  boolean ejectFromIntervalCheck(Host host, EjectionReason reason) {
    boolean ejected = tryEject(host, reason);
    if (ejected) {
      log.info("Ejected {} of cluster {} ({})", host, cluster, reason);
    }
    return ejected;
  }

  /** How many times {@code host} has been ejected since it joined (for stats and tests). */
  public synchronized int ejections(Host host) {
    HostMonitor m = monitors.get(host);
    return m == null ? 0 : m.ejections;
  }

  public synchronized int activeEjections() {
    return activeEjections;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.cancel();
    }
  }
}
