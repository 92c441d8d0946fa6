package dev.inboard.mesh.xds;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnecting the ADS stream: each delay is the previous times
 * {@code multiplier}, capped at {@code max}, then spread uniformly over +/- {@code jitter} of itself.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 1.6, 0.2);

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " must not be below initial " + initial);
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1), was " + jitter);
    }
  }

  /** The delay before attempt {@code attempt} (1-based) after a failure. */
  public Duration delay(int attempt, RandomGenerator random) {
    double base = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    base = Math.min(base, max.toNanos());
    double spread = base * jitter * (2 * random.nextDouble() - 1);
    return Duration.ofNanos((long) Math.max(1, base + spread));
  }
}
