package dev.inboard.mesh.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Runs variants in interleaved rounds: every round runs each variant once, and the order rotates from round to
 * round (A B, B A, ...) so that neither always runs first after a pause or a GC of the other.
 */
final class Rounds {
  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Rounds() {}

  /** The variants of round {@code round} in the order they run. */
  static List<Variant> order(List<Variant> variants, int round) {
    List<Variant> out = new ArrayList<>(variants.size());
    for (int i = 0; i < variants.size(); i++) {
      out.add(variants.get((i + round) % variants.size()));
    }
    return out;
  }

  /** One caller on this thread, {@code requests} blocking calls back to back, each timed. */
  static RoundResult latency(Variant variant, int round, int requests) throws Exception {
    Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    ProcessMeter.Reading before = ProcessMeter.read();
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      long t0 = System.nanoTime();
      variant.call();
      histogram.recordValue(Math.min(System.nanoTime() - t0, HIGHEST_NANOS));
    }
    long wall = System.nanoTime() - start;
    return new RoundResult(variant.name(), round, histogram, requests, 0, wall,
        ProcessMeter.read().minus(before));
  }

  /**
   * {@code callers} non-blocking call chains (each starts its next call when the previous one completes) for
   * {@code seconds}; the calls completed in that window over its length is the throughput. Chains then drain.
   */
  static RoundResult throughput(Variant variant, int round, int callers, double seconds) throws Exception {
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    class Chain implements Variant.Completion {
      volatile boolean stop;
      long startedAt;

      void next() {
        inFlight.incrementAndGet();
        startedAt = System.nanoTime();
        variant.start(this);
      }

      @Override
      public void completed(@Nullable Throwable failure) {
        long took = System.nanoTime() - startedAt;
        inFlight.decrementAndGet();
        if (failure == null) {
          completed.incrementAndGet();
          synchronized (histogram) {
            histogram.recordValue(Math.min(took, HIGHEST_NANOS));
          }
        } else {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, failure);
        }
        if (!stop) {
          next();
        }
      }
    }
    List<Chain> chains = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      chains.add(new Chain());
    }
    ProcessMeter.Reading before = ProcessMeter.read();
    long start = System.nanoTime();
    long callsBefore = completed.get();
    chains.forEach(Chain::next);
    Thread.sleep((long) (seconds * 1000));
    long calls = completed.get() - callsBefore;
    long wall = System.nanoTime() - start;
    ProcessMeter.Reading cost = ProcessMeter.read().minus(before);
    chains.forEach(c -> c.stop = true);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Throwable failure = firstFailure.get();
    if (failure != null) {
      System.err.println(variant.name() + ": " + failed.get() + " calls failed, first: " + failure);
    }
    return new RoundResult(variant.name(), round, histogram, calls, failed.get(), wall, cost);
  }
}
