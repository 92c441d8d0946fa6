package dev.inboard.mesh.resilience;

import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.lb.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks outlier detection runs once per interval over external-origin volumes of the interval just ended:
 * success rate (hosts below {@code mean - stdev * factor} among hosts with {@code success_rate_request_volume}
 * requests, when at least {@code success_rate_minimum_hosts} qualify) and failure percentage (hosts at or above
 * {@code failure_percentage_threshold} among hosts with {@code failure_percentage_request_volume} requests, when at
 * least {@code failure_percentage_minimum_hosts} qualify).
 */
final class IntervalChecks {
  private IntervalChecks() {}

  private record Volume(Host host, double successPercent) {}

  static boolean run(OutlierDetector detector, Map<Host, HostMonitor> monitors, OutlierDetection c) {
    List<Volume> forSuccessRate = new ArrayList<>();
    List<Volume> forFailurePercentage = new ArrayList<>();
    for (Map.Entry<Host, HostMonitor> e : monitors.entrySet()) {
      long[] v = e.getValue().drainVolumes();
      long success = v[0];
      long total = v[1];
      if (total == 0 || e.getKey().ejected()) {
        continue;
      }
      Volume volume = new Volume(e.getKey(), 100.0 * success / total);
      if (total >= c.successRateRequestVolume()) {
        forSuccessRate.add(volume);
      }
      if (total >= c.failurePercentageRequestVolume()) {
        forFailurePercentage.add(volume);
      }
    }
    boolean changed = false;
    if (!forSuccessRate.isEmpty() && forSuccessRate.size() >= c.successRateMinimumHosts()) {
      double mean = forSuccessRate.stream().mapToDouble(Volume::successPercent).average().orElse(100);
      double variance = forSuccessRate.stream().mapToDouble(v -> (v.successPercent - mean) * (v.successPercent - mean))
          .sum() / forSuccessRate.size();
      double threshold = mean - Math.sqrt(variance) * (c.successRateStdevFactor() / 1000.0);
      for (Volume v : forSuccessRate) {
        if (v.successPercent < threshold) {
          changed |= detector.ejectFromIntervalCheck(v.host, EjectionReason.SUCCESS_RATE);
        }
      }
    }
    if (!forFailurePercentage.isEmpty() && forFailurePercentage.size() >= c.failurePercentageMinimumHosts()) {
      for (Volume v : forFailurePercentage) {
        if (100 - v.successPercent >= c.failurePercentageThreshold()) {
          changed |= detector.ejectFromIntervalCheck(v.host, EjectionReason.FAILURE_PERCENTAGE);
        }
      }
    }
    return changed;
  }
}
