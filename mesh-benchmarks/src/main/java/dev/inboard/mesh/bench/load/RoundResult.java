package dev.inboard.mesh.bench.load;

import org.HdrHistogram.Histogram;

/** What one variant did in one round: latencies (ns), calls, failures, wall time, CPU and allocation. */
record RoundResult(String variant, int round, Histogram latencies, long calls, long failures, long wallNanos,
    ProcessMeter.Reading cost) {

  double p50Micros() {
    return latencies.getValueAtPercentile(50) / 1_000.0;
  }

  double p99Micros() {
    return latencies.getValueAtPercentile(99) / 1_000.0;
  }

  double qps() {
    return calls * 1e9 / wallNanos;
  }

  double cpuMicrosPerCall() {
    return calls == 0 ? 0 : cost.cpuNanos() / 1_000.0 / calls;
  }

  double bytesPerCall() {
    return calls == 0 ? 0 : (double) cost.allocatedBytes() / calls;
  }
}
