package dev.inboard.mesh.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's cluster circuit breakers: limits on connections, pending requests, requests and retries, one set per
 * routing priority. Limits are unsigned 32-bit values kept as {@code long}; Istio sends 4294967295 for "unlimited".
 */
public record CircuitBreakers(Thresholds defaultPriority, Thresholds highPriority) {
  public static final CircuitBreakers DEFAULT = new CircuitBreakers(Thresholds.DEFAULT, Thresholds.DEFAULT);

  public CircuitBreakers {
    Objects.requireNonNull(defaultPriority, "defaultPriority");
    Objects.requireNonNull(highPriority, "highPriority");
  }

  /** The limits for one priority; Envoy's defaults are 1024 connections, pending and requests, and 3 retries. */
  public record Thresholds(
      long maxConnections,
      long maxPendingRequests,
      long maxRequests,
      long maxRetries,
      Optional<RetryBudget> retryBudget) {
    public static final long UNSIGNED_INT_MAX = 0xFFFF_FFFFL;
    public static final Thresholds DEFAULT = new Thresholds(1024, 1024, 1024, 3, Optional.empty());

    public Thresholds {
      checkLimit("maxConnections", maxConnections);
      checkLimit("maxPendingRequests", maxPendingRequests);
      checkLimit("maxRequests", maxRequests);
      checkLimit("maxRetries", maxRetries);
      Objects.requireNonNull(retryBudget, "retryBudget");
    }

    // Lives here, not in the enclosing record: initialising Thresholds must not initialise CircuitBreakers, whose
    // DEFAULT reads Thresholds.DEFAULT (a cycle that left DEFAULT null when Thresholds was touched first).
    static void checkLimit(String name, long value) {
      if (value < 0 || value > UNSIGNED_INT_MAX) {
        throw new IllegalArgumentException(name + " must be in [0, 4294967295], was " + value);
      }
    }
  }

  /**
   * Limits concurrent retries to a share of active plus pending requests, but never below
   * {@code minRetryConcurrency}. When present it replaces {@code maxRetries}.
   */
  public record RetryBudget(Fraction budget, long minRetryConcurrency) {
    public static final Fraction DEFAULT_BUDGET = Fraction.ofPercent(20);
    public static final long DEFAULT_MIN_RETRY_CONCURRENCY = 3;
    public static final RetryBudget DEFAULT = new RetryBudget(DEFAULT_BUDGET, DEFAULT_MIN_RETRY_CONCURRENCY);

    public RetryBudget {
      Objects.requireNonNull(budget, "budget");
      Thresholds.checkLimit("minRetryConcurrency", minRetryConcurrency);
    }
  }
}
