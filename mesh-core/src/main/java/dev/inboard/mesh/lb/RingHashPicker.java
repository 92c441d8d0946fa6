package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.LbPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Envoy's ketama ring. The ring holds between {@code minRingSize} and {@code maxRingSize} entries: the scale is
 * {@code min(ceil(minWeight * minRingSize) / minWeight, maxRingSize)} over normalized weights, and each host gets
 * entries while the running count of entries is below the running sum of {@code scale * weight}. Entry {@code i}
 * of a host hashes {@code "<address>_<i>"} with XXH64, seed 0. A hash picks the first entry at or after it
 * (unsigned), wrapping to the first entry; without a hash the value is random. A retry that must avoid the
 * previous host moves {@code attempt} entries along the ring.
 */
final class RingHashPicker implements HostPicker {
  private final long[] hashes;
  private final Host[] owners;
  private final RandomGenerator random;

  RingHashPicker(Host[] hosts, double[] normalizedWeights, LbPolicy.RingHash policy, RandomGenerator random) {
    this.random = random;
    double minWeight = Double.MAX_VALUE;
    for (double w : normalizedWeights) {
      if (w > 0) {
        minWeight = Math.min(minWeight, w);
      }
    }
    double scale = Math.min(Math.ceil(minWeight * policy.minRingSize()) / minWeight, policy.maxRingSize());
    int ringSize = (int) Math.ceil(scale);
    long[] h = new long[ringSize + hosts.length];
    Host[] o = new Host[h.length];
    int count = 0;
    double target = 0;
    for (int k = 0; k < hosts.length; k++) {
      String key = hosts[k].address().toString();
      target += scale * normalizedWeights[k];
      for (int i = 0; count < target; i++) {
        if (count == h.length) {
          h = Arrays.copyOf(h, h.length * 2);
          o = Arrays.copyOf(o, o.length * 2);
        }
        h[count] = hash(key + "_" + i, policy.hashFunction());
        o[count] = hosts[k];
        count++;
      }
    }
    // Sort entries by unsigned hash, keeping the owner beside each hash.
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    long[] hs = h;
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(hs[a], hs[b]));
    hashes = new long[count];
    owners = new Host[count];
    for (int i = 0; i < count; i++) {
      hashes[i] = h[order[i]];
      owners[i] = o[order[i]];
    }
  }

  private static long hash(String key, LbPolicy.HashFunction function) {
    return function == LbPolicy.HashFunction.MURMUR_HASH_2
        ? MurmurHash2.hash64(key.getBytes(StandardCharsets.UTF_8))
        : XxHash64.hash(key, 0);
  }

  int size() {
    return hashes.length;
  }

  @Override
  public Host pick(long hash, boolean hasHash, int attempt) {
    long h = hasHash ? hash : random.nextLong();
    int lo = 0;
    int hi = hashes.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(hashes[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return owners[(int) ((lo + (long) attempt) % hashes.length)];
  }
}
