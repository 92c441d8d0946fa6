package dev.inboard.mesh.bench.load;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process and bytes allocated by all its live threads, read before and after a phase: the
 * client's cost per call, which moves far less with machine noise than wall-clock latency.
 */
final class ProcessMeter {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** A reading. */
  record Reading(long cpuNanos, long allocatedBytes) {
    Reading minus(Reading before) {
      return new Reading(cpuNanos - before.cpuNanos, allocatedBytes - before.allocatedBytes);
    }
  }

  private ProcessMeter() {}

  static Reading read() {
    long allocated = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      if (bytes > 0) {
        allocated += bytes;
      }
    }
    return new Reading(OS.getProcessCpuTime(), allocated);
  }
}
