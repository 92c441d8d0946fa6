package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * How a cluster picks an endpoint: Envoy's {@code lb_policy} with its config, or the typed
 * {@code load_balancing_policy} it was chosen from. Defaults and limits are Envoy's.
 */
public sealed interface LbPolicy {

  record RoundRobin() implements LbPolicy {}

  /**
   * Picks the endpoint with the fewest active requests among {@code choiceCount} random ones.
   *
   * @param activeRequestBias how strongly active requests lower a weighted endpoint's effective weight
   */
  record LeastRequest(int choiceCount, double activeRequestBias) implements LbPolicy {
    public static final int DEFAULT_CHOICE_COUNT = 2;
    public static final double DEFAULT_ACTIVE_REQUEST_BIAS = 1.0;
    public static final LeastRequest DEFAULT = new LeastRequest(DEFAULT_CHOICE_COUNT, DEFAULT_ACTIVE_REQUEST_BIAS);

    public LeastRequest {
      if (choiceCount < 2) {
        throw new IllegalArgumentException("choiceCount must be >= 2, was " + choiceCount);
      }
      if (!(activeRequestBias >= 0) || Double.isInfinite(activeRequestBias)) {
        throw new IllegalArgumentException("activeRequestBias must be a finite number >= 0, was " + activeRequestBias);
      }
    }
  }

  /** Consistent hashing on a ketama ring of between {@code minRingSize} and {@code maxRingSize} entries. */
  record RingHash(long minRingSize, long maxRingSize, HashFunction hashFunction) implements LbPolicy {
    public static final long DEFAULT_MIN_RING_SIZE = 1024;
    /** Both the default and the largest allowed ring size (8M entries). */
    public static final long MAX_RING_SIZE = 8 * 1024 * 1024;
    public static final RingHash DEFAULT = new RingHash(DEFAULT_MIN_RING_SIZE, MAX_RING_SIZE, HashFunction.XX_HASH);

    public RingHash {
      Objects.requireNonNull(hashFunction, "hashFunction");
      if (minRingSize < 0 || maxRingSize > MAX_RING_SIZE || minRingSize > maxRingSize) {
        throw new IllegalArgumentException("ring sizes must satisfy 0 <= min <= max <= " + MAX_RING_SIZE + ", was min "
            + minRingSize + ", max " + maxRingSize);
      }
    }
  }

  enum HashFunction { XX_HASH, MURMUR_HASH_2 }

  /** Consistent hashing with a Maglev lookup table; the size must be prime. */
  record Maglev(long tableSize) implements LbPolicy {
    public static final long DEFAULT_TABLE_SIZE = 65537;
    public static final long MAX_TABLE_SIZE = 5000011;
    public static final Maglev DEFAULT = new Maglev(DEFAULT_TABLE_SIZE);

    public Maglev {
      if (tableSize > MAX_TABLE_SIZE || !isPrime(tableSize)) {
        throw new IllegalArgumentException("tableSize must be a prime <= " + MAX_TABLE_SIZE + ", was " + tableSize);
      }
    }

    public static boolean isPrime(long n) {
      if (n < 2) {
        return false;
      }
      if (n % 2 == 0) {
        return n == 2;
      }
      for (long d = 3; d * d <= n; d += 2) {
        if (n % d == 0) {
          return false;
        }
      }
      return true;
    }
  }

  record Random() implements LbPolicy {}

  /**
   * The cluster type brings its own load balancer: ORIGINAL_DST connects to the downstream's original destination,
   * an aggregate cluster picks among its child clusters by priority.
   */
  record ClusterProvided() implements LbPolicy {}
}
