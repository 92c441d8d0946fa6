package dev.inboard.mesh.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * CPU time of the benchmark thread per operation, per measured iteration. The xDS client does all its work on the
 * thread that delivers a response, so this is the client's CPU cost; unlike wall-clock time it barely moves when
 * other processes compete for the cores. Each fork prints one line, {@code cpu-per-op NAME UNIT: v1 v2 ...}, which
 * {@code run-benchmarks.sh} merges across forks.
 */
final class ThreadCpuMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String name;
  private final double nanosPerUnit;
  private final String unit;
  private final List<Double> perIteration = new ArrayList<>();
  private long cpuAtStart;
  private long opsAtStart;
  private boolean measuring;

  ThreadCpuMeter(String name, String unit, double nanosPerUnit) {
    this.name = name;
    this.unit = unit;
    this.nanosPerUnit = nanosPerUnit;
  }

  /** Starts an iteration; only measured iterations (not warm-up) are recorded. */
  void start(boolean measured, long opsSoFar) {
    measuring = measured;
    opsAtStart = opsSoFar;
    cpuAtStart = THREADS.getCurrentThreadCpuTime();
  }

  void stop(long opsSoFar) {
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
    long ops = opsSoFar - opsAtStart;
    if (measuring && ops > 0) {
      perIteration.add(cpu / nanosPerUnit / ops);
    }
    measuring = false;
  }

  /** Prints this fork's figures; call from the trial tear-down. */
  void print() {
    if (!perIteration.isEmpty()) {
      System.out.println("cpu-per-op " + name + " " + unit + ": " + perIteration.stream()
          .map(v -> String.format(Locale.ROOT, "%.3f", v)).collect(Collectors.joining(" ")));
    }
  }
}
