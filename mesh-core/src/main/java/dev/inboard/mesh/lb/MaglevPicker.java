package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.LbPolicy;
import java.util.random.RandomGenerator;

/**
 * Envoy's Maglev table. Each host has an offset {@code xxh64(address, 0) % M} and a skip
 * {@code xxh64(address, 1) % (M - 1) + 1}; its preference list is {@code (offset + skip * j) % M}. Hosts take turns
 * claiming their next free slot, a host of normalized weight {@code w} taking a turn in round {@code r} only when
 * {@code r * w >= target}, its target rising by the largest weight each time, so slots are shared in proportion to
 * weight. A hash picks slot {@code hash % M} (unsigned). A retry that must avoid the previous host xors the hash
 * with {@code -attempt}, as Envoy does.
 */
final class MaglevPicker implements HostPicker {
  private final Host[] table;
  private final RandomGenerator random;

  MaglevPicker(Host[] hosts, double[] normalizedWeights, LbPolicy.Maglev policy, RandomGenerator random) {
    this.random = random;
    int m = (int) policy.tableSize();
    int n = hosts.length;
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] target = new double[n];
    double maxWeight = 0;
    for (int i = 0; i < n; i++) {
      String key = hosts[i].address().toString();
      offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), m);
      skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), m - 1) + 1;
      maxWeight = Math.max(maxWeight, normalizedWeights[i]);
    }
    table = new Host[m];
    int filled = 0;
    for (long round = 1; filled < m; round++) {
      for (int i = 0; i < n && filled < m; i++) {
        if (round * normalizedWeights[i] < target[i]) {
          continue;
        }
        target[i] += maxWeight;
        int slot = (int) ((offset[i] + skip[i] * next[i]) % m);
        while (table[slot] != null) {
          next[i]++;
          slot = (int) ((offset[i] + skip[i] * next[i]) % m);
        }
        table[slot] = hosts[i];
        next[i]++;
        filled++;
      }
    }
  }

  /** The host in each table slot, for tests of balance. */
  Host[] table() {
    return table.clone();
  }

  @Override
  public Host pick(long hash, boolean hasHash, int attempt) {
    long h = hasHash ? hash : random.nextLong();
    if (attempt > 0) {
      // Flip most bits (xor with -attempt) so that successive attempts land far apart in the table.
      h ^= -(long) attempt;
    }
    return table[(int) Long.remainderUnsigned(h, table.length)];
  }
}
