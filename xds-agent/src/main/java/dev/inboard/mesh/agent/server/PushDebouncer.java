package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.clock.MeshClock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Coalesces change events into pushes as istiod does: a push starts once no event arrived for
 * {@code after}, or {@code max} after the first event of a burst, whichever comes first.
 */
final class PushDebouncer {
  private final MeshClock clock;
  private final Duration after;
  private final Duration max;
  private final Executor loop;
  private final Runnable push;
  private final Object lock = new Object();
  private MeshClock.@Nullable Cancellable timer;
  private long firstEvent;
  private long lastEvent;
  private long events;
  private boolean closed;

  PushDebouncer(MeshClock clock, Duration after, Duration max, Executor loop, Runnable push) {
    this.clock = clock;
    this.after = after;
    this.max = max;
    this.loop = loop;
    this.push = push;
  }

  /** Records a change; a push follows once changes stop. */
  void request() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      long now = clock.nanoTime();
      lastEvent = now;
      events++;
      if (timer == null) {
        firstEvent = now;
        timer = clock.schedule(this::check, after);
      }
    }
  }

  /** Events recorded since the last push started. */
  long pendingEvents() {
    synchronized (lock) {
      return events;
    }
  }

  private void check() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      long now = clock.nanoTime();
      long quietFor = now - lastEvent;
      long waitedFor = now - firstEvent;
      if (quietFor < after.toNanos() && waitedFor < max.toNanos()) {
        long untilQuiet = after.toNanos() - quietFor;
        long untilMax = max.toNanos() - waitedFor;
        timer = clock.schedule(this::check, Duration.ofNanos(Math.min(untilQuiet, untilMax)));
        return;
      }
      timer = null;
      events = 0;
    }
    loop.execute(push);
  }

  void close() {
    synchronized (lock) {
      closed = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }
}
