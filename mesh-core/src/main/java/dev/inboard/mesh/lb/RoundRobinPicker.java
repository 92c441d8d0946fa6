package dev.inboard.mesh.lb;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Envoy's round robin. Equal weights: a shared cursor (lock-free), starting at a random host so that many clients
 * do not all begin on the same one. Unequal weights: earliest deadline first with exact rational deadlines
 * {@code (picks + 1) / weight}, so over {@code sum(weights)} picks every host is chosen exactly {@code weight}
 * times.
 */
final class RoundRobinPicker implements HostPicker {
  private final Host[] hosts;
  private final AtomicLong cursor;
  private final PriorityQueue<Slot> weighted;

  private static final class Slot {
    final int index;
    final long weight;
    long picks;

    Slot(int index, long weight) {
      this.index = index;
      this.weight = weight;
    }
  }

  RoundRobinPicker(Host[] hosts, RandomGenerator random) {
    this.hosts = hosts;
    this.cursor = new AtomicLong(random.nextInt(hosts.length));
    if (Weights.allEqual(hosts)) {
      weighted = null;
    } else {
      // deadline a = (a.picks + 1) / a.weight; compare by cross-multiplication, ties by host order.
      weighted = new PriorityQueue<>((a, b) -> {
        int c = Long.compare((a.picks + 1) * b.weight, (b.picks + 1) * a.weight);
        return c != 0 ? c : Integer.compare(a.index, b.index);
      });
      for (int i = 0; i < hosts.length; i++) {
        weighted.add(new Slot(i, hosts[i].weight()));
      }
      long skip = random.nextLong(Math.min(Weights.sum(hosts), hosts.length));
      for (long i = 0; i < skip; i++) {
        nextWeighted();
      }
    }
  }

  @Override
  public Host pick(long hash, boolean hasHash, int attempt) {
    if (weighted == null) {
      return hosts[(int) Math.floorMod(cursor.getAndIncrement(), (long) hosts.length)];
    }
    return hosts[nextWeighted()];
  }

  private synchronized int nextWeighted() {
    Slot s = weighted.poll();
    s.picks++;
    weighted.add(s);
    return s.index;
  }
}
