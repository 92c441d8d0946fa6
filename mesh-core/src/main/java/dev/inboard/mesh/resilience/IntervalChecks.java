package dev.inboard.mesh.resilience;

import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.lb.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks outlier detection runs once per interval over the volumes of the interval just ended: success rate
 * (hosts below {@code mean - stdev * factor}, population standard deviation, among hosts with
 * {@code success_rate_request_volume} requests, when at least {@code success_rate_minimum_hosts} qualify) and
 * failure percentage (hosts at or above {@code failure_percentage_threshold} among hosts with
 * {@code failure_percentage_request_volume} requests, when at least {@code failure_percentage_minimum_hosts}
 * qualify). Ejected hosts are left out. With {@code split_external_local_origin_errors} both checks also run over
 * local-origin events, with their own enforcing percentages.
 */
final class IntervalChecks {
  private IntervalChecks() {}

  private record Volume(Host host, long total, double successPercent) {}

  static boolean run(OutlierDetector detector, Map<Host, HostMonitor> monitors, OutlierDetection c) {
    List<Volume> external = new ArrayList<>();
    List<Volume> local = new ArrayList<>();
    for (Map.Entry<Host, HostMonitor> e : monitors.entrySet()) {
      long[] v = e.getValue().drainVolumes();
      if (e.getKey().ejected()) {
        continue;
      }
      if (v[1] > 0) {
        external.add(new Volume(e.getKey(), v[1], 100.0 * v[0] / v[1]));
      }
      if (v[3] > 0) {
        local.add(new Volume(e.getKey(), v[3], 100.0 * v[2] / v[3]));
      }
    }
    boolean changed = check(detector, external, c, EjectionReason.SUCCESS_RATE, EjectionReason.FAILURE_PERCENTAGE);
    if (c.splitExternalLocalOriginErrors()) {
      changed |= check(detector, local, c, EjectionReason.SUCCESS_RATE_LOCAL_ORIGIN,
          EjectionReason.FAILURE_PERCENTAGE_LOCAL_ORIGIN);
    }
    return changed;
  }

  private static boolean check(OutlierDetector detector, List<Volume> volumes, OutlierDetection c,
      EjectionReason successRate, EjectionReason failurePercentage) {
    boolean changed = false;
    List<Volume> forSuccessRate = volumes.stream().filter(v -> v.total >= c.successRateRequestVolume()).toList();
    if (!forSuccessRate.isEmpty() && forSuccessRate.size() >= c.successRateMinimumHosts()) {
      double mean = forSuccessRate.stream().mapToDouble(Volume::successPercent).average().orElse(100);
      double variance = forSuccessRate.stream()
          .mapToDouble(v -> (v.successPercent - mean) * (v.successPercent - mean)).sum() / forSuccessRate.size();
      double threshold = mean - Math.sqrt(variance) * (c.successRateStdevFactor() / 1000.0);
      for (Volume v : forSuccessRate) {
        if (v.successPercent < threshold) {
          changed |= detector.ejectFromIntervalCheck(v.host, successRate);
        }
      }
    }
    List<Volume> forFailurePercentage =
        volumes.stream().filter(v -> v.total >= c.failurePercentageRequestVolume()).toList();
    if (!forFailurePercentage.isEmpty() && forFailurePercentage.size() >= c.failurePercentageMinimumHosts()) {
      for (Volume v : forFailurePercentage) {
        if (100 - v.successPercent >= c.failurePercentageThreshold()) {
          changed |= detector.ejectFromIntervalCheck(v.host, failurePercentage);
        }
      }
    }
    return changed;
  }
}
