package dev.inboard.mesh.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * The one source of time and timers for the mesh. Production uses {@link #system()}; tests inject a fake clock that
 * advances only when told, so no test sleeps.
 */
public interface MeshClock {

  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Wall-clock time, for timestamps people read (config dumps); never for measuring intervals. */
  Instant now();

  /** Runs {@code task} once after {@code delay}. The task must be short: it hands work to its owner's executor. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be cancelled; cancelling twice or after it ran does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  static MeshClock system() {
    return SystemClock.INSTANCE;
  }
}
