package dev.inboard.mesh.testing;

import dev.inboard.mesh.clock.MeshClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** A clock that moves only when a test calls {@link #forward}; due tasks run on the calling thread. */
public final class FakeClock implements MeshClock {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long now;
  private long seq;

  private final class Task implements Cancellable {
    final long due;
    final long seq;
    final Runnable runnable;
    boolean cancelled;

    Task(long due, long seq, Runnable runnable) {
      this.due = due;
      this.seq = seq;
      this.runnable = runnable;
    }

    @Override
    public void cancel() {
      synchronized (FakeClock.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Instant now() {
    return EPOCH.plusNanos(now);
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now + delay.toNanos(), seq++, task);
    tasks.add(t);
    return t;
  }

  /** Moves time forward, running every task that falls due, in order. */
  public void forward(Duration amount) {
    long target;
    synchronized (this) {
      target = now + amount.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due;
      }
      next.runnable.run();
    }
  }

  /** Delays of the tasks still pending, from now. */
  public synchronized List<Duration> pendingDelays() {
    List<Duration> out = new ArrayList<>();
    for (Task t : tasks) {
      out.add(Duration.ofNanos(t.due - now));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }
}
