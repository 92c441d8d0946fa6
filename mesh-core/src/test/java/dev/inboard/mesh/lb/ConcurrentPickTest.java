package dev.inboard.mesh.lb;

import static dev.inboard.mesh.lb.Hosts.ZONE_A;
import static dev.inboard.mesh.lb.Hosts.host;
import static dev.inboard.mesh.lb.Hosts.lb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class ConcurrentPickTest {

  private static Map<String, Long> pickConcurrently(ClusterLoadBalancer lb, int threads, int picksPerThread) {
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          try {
            start.await();
            for (int i = 0; i < picksPerThread; i++) {
              Host h = (Host) lb.pick(PickRequest.ANY);
              counts.computeIfAbsent(h.address().host(), k -> new LongAdder()).increment();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            finished.incrementAndGet();
          }
        });
      }
      start.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> finished.get() == threads);
    } finally {
      pool.shutdownNow();
    }
    Map<String, Long> out = new java.util.HashMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Test
  void roundRobin_equalWeightsFromManyThreads_everyHostExactlyItsShare() {
    List<Host> hs = List.of(host("10.10.0.1"), host("10.10.0.2"), host("10.10.0.3"), host("10.10.0.4"),
        host("10.10.0.5"));
    Map<String, Long> counts = pickConcurrently(lb(new LbPolicy.RoundRobin(), hs), 4, 10_000);
    assertThat(counts).hasSize(5).allSatisfy((h, n) -> assertThat(n).isEqualTo(8_000));
  }

  @Test
  void roundRobin_weightedFromManyThreads_exactProportionsOverWholeCycles() {
    List<Host> hs = List.of(host("10.10.1.1", 1, HealthStatus.HEALTHY, ZONE_A, 0),
        host("10.10.1.2", 3, HealthStatus.HEALTHY, ZONE_A, 0));
    // 4 x 10,000 picks = 10,000 whole cycles of 4.
    Map<String, Long> counts = pickConcurrently(lb(new LbPolicy.RoundRobin(), hs), 4, 10_000);
    assertThat(counts).isEqualTo(Map.of("10.10.1.1", 10_000L, "10.10.1.2", 30_000L));
  }
}
