package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Envoy's passive health checking ({@code OutlierDetection}) with every field resolved to its value or Envoy's
 * documented default. Counts are unsigned 32-bit values kept as {@code long}; {@code enforcing*}, {@code *Percent}
 * and {@code failurePercentageThreshold} are percentages in [0, 100]. {@code successRateStdevFactor} is in
 * thousandths (1900 means 1.9).
 */
public record OutlierDetection(
    long consecutive5xx,
    Duration interval,
    Duration baseEjectionTime,
    int maxEjectionPercent,
    int enforcingConsecutive5xx,
    int enforcingSuccessRate,
    long successRateMinimumHosts,
    long successRateRequestVolume,
    long successRateStdevFactor,
    long consecutiveGatewayFailure,
    int enforcingConsecutiveGatewayFailure,
    boolean splitExternalLocalOriginErrors,
    long consecutiveLocalOriginFailure,
    int enforcingConsecutiveLocalOriginFailure,
    int enforcingLocalOriginSuccessRate,
    int failurePercentageThreshold,
    int enforcingFailurePercentage,
    int enforcingFailurePercentageLocalOrigin,
    long failurePercentageMinimumHosts,
    long failurePercentageRequestVolume,
    Duration maxEjectionTime,
    Duration maxEjectionTimeJitter,
    boolean successfulActiveHealthCheckUnejectHost,
    boolean alwaysEjectOneHost) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
  /** The default cap on ejection time, unless {@code baseEjectionTime} is longer. */
  public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);

  /** Envoy's behaviour for an empty {@code outlier_detection} message. */
  public static final OutlierDetection DEFAULT = new OutlierDetection(
      5, DEFAULT_INTERVAL, DEFAULT_BASE_EJECTION_TIME, 10, 100, 100, 5, 100, 1900, 5, 0, false, 5, 100, 100, 85,
      0, 0, 5, 50, DEFAULT_MAX_EJECTION_TIME, Duration.ZERO, true, false);

  public OutlierDetection {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
    Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
    Objects.requireNonNull(maxEjectionTimeJitter, "maxEjectionTimeJitter");
    positive("interval", interval);
    positive("baseEjectionTime", baseEjectionTime);
    positive("maxEjectionTime", maxEjectionTime);
    if (maxEjectionTimeJitter.isNegative()) {
      throw new IllegalArgumentException("maxEjectionTimeJitter must not be negative, was " + maxEjectionTimeJitter);
    }
    if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
      throw new IllegalArgumentException("maxEjectionTime must be >= baseEjectionTime " + baseEjectionTime + ", was "
          + maxEjectionTime);
    }
    percent("maxEjectionPercent", maxEjectionPercent);
    percent("enforcingConsecutive5xx", enforcingConsecutive5xx);
    percent("enforcingSuccessRate", enforcingSuccessRate);
    percent("enforcingConsecutiveGatewayFailure", enforcingConsecutiveGatewayFailure);
    percent("enforcingConsecutiveLocalOriginFailure", enforcingConsecutiveLocalOriginFailure);
    percent("enforcingLocalOriginSuccessRate", enforcingLocalOriginSuccessRate);
    percent("failurePercentageThreshold", failurePercentageThreshold);
    percent("enforcingFailurePercentage", enforcingFailurePercentage);
    percent("enforcingFailurePercentageLocalOrigin", enforcingFailurePercentageLocalOrigin);
    count("consecutive5xx", consecutive5xx);
    count("successRateMinimumHosts", successRateMinimumHosts);
    count("successRateRequestVolume", successRateRequestVolume);
    count("successRateStdevFactor", successRateStdevFactor);
    count("consecutiveGatewayFailure", consecutiveGatewayFailure);
    count("consecutiveLocalOriginFailure", consecutiveLocalOriginFailure);
    count("failurePercentageMinimumHosts", failurePercentageMinimumHosts);
    count("failurePercentageRequestVolume", failurePercentageRequestVolume);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
  }

  private static void percent(String name, int value) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException(name + " must be in [0, 100], was " + value);
    }
  }

  private static void count(String name, long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(name + " must be in [0, 4294967295], was " + value);
    }
  }
}
