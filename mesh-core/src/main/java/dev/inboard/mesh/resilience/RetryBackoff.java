package dev.inboard.mesh.resilience;

import dev.inboard.mesh.config.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Envoy's retry back-off with full jitter: before retry {@code n} (from 0) the interval is
 * {@code min(max, base * 2^n)} and the wait a uniformly random whole number of milliseconds in {@code [0, interval)}.
 * One instance per request (it counts that request's retries); not thread-safe.
 */
public final class RetryBackoff {
  private final long baseMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private long nextInterval;

  public RetryBackoff(Duration baseInterval, Duration maxInterval, RandomGenerator random) {
    Objects.requireNonNull(baseInterval, "baseInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    this.baseMillis = Math.max(1, baseInterval.toMillis());
    this.maxMillis = Math.max(baseMillis, maxInterval.toMillis());
    this.random = Objects.requireNonNull(random, "random");
    this.nextInterval = baseMillis;
  }

  /** The back-off of a route's retry policy ({@code base_interval}, {@code max_interval}). */
  public static RetryBackoff of(RetryPolicy policy, RandomGenerator random) {
    return new RetryBackoff(policy.baseInterval(), policy.maxInterval(), random);
  }

  /** The wait before the next retry. */
  public Duration next() {
    long interval = nextInterval;
    nextInterval = interval > maxMillis / 2 ? maxMillis : interval * 2;
    return Duration.ofMillis(random.nextLong(interval));
  }

  /** Back to the first retry's interval. */
  public void reset() {
    nextInterval = baseMillis;
  }
}
