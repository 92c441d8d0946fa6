package dev.inboard.mesh.lb;

import java.util.PriorityQueue;
import java.util.function.IntToDoubleFunction;

/**
 * Earliest deadline first over indices, as Envoy schedules weighted choices: each entry's deadline is the time of
 * its last pick plus {@code 1 / weight}; the earliest deadline wins, ties go to the entry queued first. The weight
 * is read again each time an entry is queued, so weights that change (least request's load-adjusted weights) take
 * effect on the next round. Entries with weight 0 are never picked. Thread-safe (one lock; picks are O(log n)).
 */
final class EdfScheduler {
  private record Entry(double deadline, long order, int index) {}

  private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> {
    int c = Double.compare(a.deadline, b.deadline);
    return c != 0 ? c : Long.compare(a.order, b.order);
  });
  private final IntToDoubleFunction weight;
  private double now;
  private long order;

  EdfScheduler(int size, IntToDoubleFunction weight) {
    this.weight = weight;
    for (int i = 0; i < size; i++) {
      queueAt(i);
    }
  }

  private void queueAt(int index) {
    double w = weight.applyAsDouble(index);
    if (w > 0) {
      queue.add(new Entry(now + 1.0 / w, order++, index));
    }
  }

  /** The next index, or -1 when every weight is 0. */
  synchronized int pick() {
    Entry e = queue.poll();
    if (e == null) {
      return -1;
    }
    now = e.deadline;
    queueAt(e.index);
    return e.index;
  }

  synchronized boolean isEmpty() {
    return queue.isEmpty();
  }
}
