package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.OutlierDetection;
import java.time.Duration;

/**
 * {@code outlier_detection} with every absent field set to Envoy's documented default. Percentages above 100 and
 * non-positive intervals are rejected, as is a {@code max_ejection_time} below {@code base_ejection_time}. Paths are
 * relative to the {@code outlier_detection} field.
 */
final class OutlierDetectionParser {
  private OutlierDetectionParser() {}

  static OutlierDetection parse(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection p)
      throws XdsValidationException {
    OutlierDetection d = OutlierDetection.DEFAULT;
    Duration interval = FieldValues.positiveDuration("interval", p.hasInterval(), p.getInterval(), d.interval());
    Duration baseEjectionTime = FieldValues.positiveDuration("base_ejection_time", p.hasBaseEjectionTime(),
        p.getBaseEjectionTime(), d.baseEjectionTime());
    // Unset, the cap is 300s or the base ejection time, whichever is longer.
    Duration defaultMax = baseEjectionTime.compareTo(OutlierDetection.DEFAULT_MAX_EJECTION_TIME) > 0
        ? baseEjectionTime : OutlierDetection.DEFAULT_MAX_EJECTION_TIME;
    Duration maxEjectionTime = FieldValues.positiveDuration("max_ejection_time", p.hasMaxEjectionTime(),
        p.getMaxEjectionTime(), defaultMax);
    Validation.check(maxEjectionTime.compareTo(baseEjectionTime) >= 0, "max_ejection_time",
        "must be >= base_ejection_time (" + FieldValues.format(baseEjectionTime) + "), was "
            + FieldValues.format(maxEjectionTime));
    Duration jitter = FieldValues.duration("max_ejection_time_jitter", p.hasMaxEjectionTimeJitter(),
        p.getMaxEjectionTimeJitter(), d.maxEjectionTimeJitter());

    return new OutlierDetection(
        FieldValues.u32(p.hasConsecutive5Xx(), p.getConsecutive5Xx(), d.consecutive5xx()),
        interval,
        baseEjectionTime,
        FieldValues.percent("max_ejection_percent", p.hasMaxEjectionPercent(), p.getMaxEjectionPercent(),
            d.maxEjectionPercent()),
        FieldValues.percent("enforcing_consecutive_5xx", p.hasEnforcingConsecutive5Xx(),
            p.getEnforcingConsecutive5Xx(), d.enforcingConsecutive5xx()),
        FieldValues.percent("enforcing_success_rate", p.hasEnforcingSuccessRate(), p.getEnforcingSuccessRate(),
            d.enforcingSuccessRate()),
        FieldValues.u32(p.hasSuccessRateMinimumHosts(), p.getSuccessRateMinimumHosts(), d.successRateMinimumHosts()),
        FieldValues.u32(p.hasSuccessRateRequestVolume(), p.getSuccessRateRequestVolume(),
            d.successRateRequestVolume()),
        FieldValues.u32(p.hasSuccessRateStdevFactor(), p.getSuccessRateStdevFactor(), d.successRateStdevFactor()),
        FieldValues.u32(p.hasConsecutiveGatewayFailure(), p.getConsecutiveGatewayFailure(),
            d.consecutiveGatewayFailure()),
        FieldValues.percent("enforcing_consecutive_gateway_failure", p.hasEnforcingConsecutiveGatewayFailure(),
            p.getEnforcingConsecutiveGatewayFailure(), d.enforcingConsecutiveGatewayFailure()),
        p.getSplitExternalLocalOriginErrors(),
        FieldValues.u32(p.hasConsecutiveLocalOriginFailure(), p.getConsecutiveLocalOriginFailure(),
            d.consecutiveLocalOriginFailure()),
        FieldValues.percent("enforcing_consecutive_local_origin_failure",
            p.hasEnforcingConsecutiveLocalOriginFailure(), p.getEnforcingConsecutiveLocalOriginFailure(),
            d.enforcingConsecutiveLocalOriginFailure()),
        FieldValues.percent("enforcing_local_origin_success_rate", p.hasEnforcingLocalOriginSuccessRate(),
            p.getEnforcingLocalOriginSuccessRate(), d.enforcingLocalOriginSuccessRate()),
        FieldValues.percent("failure_percentage_threshold", p.hasFailurePercentageThreshold(),
            p.getFailurePercentageThreshold(), d.failurePercentageThreshold()),
        FieldValues.percent("enforcing_failure_percentage", p.hasEnforcingFailurePercentage(),
            p.getEnforcingFailurePercentage(), d.enforcingFailurePercentage()),
        FieldValues.percent("enforcing_failure_percentage_local_origin",
            p.hasEnforcingFailurePercentageLocalOrigin(), p.getEnforcingFailurePercentageLocalOrigin(),
            d.enforcingFailurePercentageLocalOrigin()),
        FieldValues.u32(p.hasFailurePercentageMinimumHosts(), p.getFailurePercentageMinimumHosts(),
            d.failurePercentageMinimumHosts()),
        FieldValues.u32(p.hasFailurePercentageRequestVolume(), p.getFailurePercentageRequestVolume(),
            d.failurePercentageRequestVolume()),
        maxEjectionTime,
        jitter,
        p.hasSuccessfulActiveHealthCheckUnejectHost()
            ? p.getSuccessfulActiveHealthCheckUnejectHost().getValue() : d.successfulActiveHealthCheckUnejectHost(),
        p.hasAlwaysEjectOneHost() ? p.getAlwaysEjectOneHost().getValue() : d.alwaysEjectOneHost());
  }
}
