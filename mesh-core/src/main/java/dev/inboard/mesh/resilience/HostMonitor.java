package dev.inboard.mesh.resilience;

/** Outlier detection's state for one host; guarded by its own lock (per-host counters) and the detector's. */
final class HostMonitor {
  // Guarded by this.
  long consecutive5xx;
  long consecutiveGatewayFailure;
  long consecutiveLocalOriginFailure;
  long externalSuccess;
  long externalTotal;
  long localSuccess;
  long localTotal;

  // Guarded by the detector.
  long ejectedAtNanos;
  long jitterNanos;
  long ejectionMultiplier;
  int ejections;

  synchronized long[] drainVolumes() {
    long[] v = {externalSuccess, externalTotal, localSuccess, localTotal};
    externalSuccess = 0;
    externalTotal = 0;
    localSuccess = 0;
    localTotal = 0;
    return v;
  }
}
