package dev.inboard.mesh.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.CircuitBreakers.RetryBudget;
import dev.inboard.mesh.config.CircuitBreakers.Thresholds;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final String CLUSTER = "outbound|9080|v1|reviews.default.svc.cluster.local";

  private static CircuitBreakers limits(long maxRequests, long maxRetries, Optional<RetryBudget> budget) {
    Thresholds t = new Thresholds(1024, 1024, maxRequests, maxRetries, budget);
    return new CircuitBreakers(t, Thresholds.DEFAULT);
  }

  @Test
  void tryAcquire_atLimit_rejectsWithUoAndReason() {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(2, 3, Optional.empty()));
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT)).isInstanceOf(Permit.class);
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT)).isInstanceOf(Permit.class);
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT)).isEqualTo(new Admission.Rejected(
        new Failure(ResponseFlag.UO, 503, "upstream overflow for " + CLUSTER
            + ": 2 concurrent requests reached (max_requests, default priority)")));
    // The high priority has its own gauges and limits.
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.HIGH)).isInstanceOf(Permit.class);
  }

  @Test
  void tryTake_atLimit_falseAndOverflowNamesTheLimit() {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(1024, 1, Optional.empty()));
    assertThat(cb.tryTake(Resource.RETRIES, RoutingPriority.DEFAULT)).isTrue();
    assertThat(cb.tryTake(Resource.RETRIES, RoutingPriority.DEFAULT)).isFalse();
    assertThat(cb.overflow(Resource.RETRIES, RoutingPriority.DEFAULT).reason())
        .endsWith(": 1 concurrent retries reached (max_retries, default priority)");
    cb.release(Resource.RETRIES, RoutingPriority.DEFAULT);
    assertThat(cb.tryTake(Resource.RETRIES, RoutingPriority.DEFAULT)).isTrue();
  }

  private static CircuitBreakers connectionLimits(long maxConnections, long maxPending) {
    return new CircuitBreakers(new Thresholds(maxConnections, maxPending, 1024, 3, Optional.empty()),
        Thresholds.DEFAULT);
  }

  private static long inSeconds(long seconds) {
    return System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
  }

  @Test
  void awaitConnection_oneConnectionOnePending_thirdOverflowsAndTheWaiterGetsTheReleasedConnection()
      throws Exception {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, connectionLimits(1, 1));
    Permit first = (Permit) cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(5), () -> false).orElseThrow();

    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      var second = waiter.submit(() -> cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(30), () -> false));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> cb.active(Resource.PENDING_REQUESTS, RoutingPriority.DEFAULT) == 1);

      assertThat(cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(5), () -> false)).contains(
          new Admission.Rejected(new Failure(ResponseFlag.UO, 503, "upstream overflow for " + CLUSTER
              + ": 1 concurrent pending requests reached (max_pending_requests, default priority)")));
      assertThat(second).isNotDone();

      first.release();
      Optional<Admission> served = second.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(served).containsInstanceOf(Permit.class);
      assertThat(cb.active(Resource.CONNECTIONS, RoutingPriority.DEFAULT)).isEqualTo(1);
      assertThat(cb.active(Resource.PENDING_REQUESTS, RoutingPriority.DEFAULT)).isZero();
      ((Permit) served.orElseThrow()).release();
      assertThat(cb.active(Resource.CONNECTIONS, RoutingPriority.DEFAULT)).isZero();
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void awaitConnection_deadlinePassedOrAbandoned_endsEmptyAndLeavesNoPending() throws Exception {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, connectionLimits(1, 5));
    Permit held = (Permit) cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(5), () -> false).orElseThrow();

    assertThat(cb.awaitConnection(RoutingPriority.DEFAULT, System.nanoTime(), () -> false)).isEmpty();
    AtomicInteger checks = new AtomicInteger();
    assertThat(cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(30), () -> checks.incrementAndGet() > 2))
        .isEmpty();
    assertThat(cb.active(Resource.PENDING_REQUESTS, RoutingPriority.DEFAULT)).isZero();
    assertThat(cb.active(Resource.CONNECTIONS, RoutingPriority.DEFAULT)).isEqualTo(1);
    held.release();
    assertThat(cb.awaitConnection(RoutingPriority.DEFAULT, inSeconds(5), () -> false))
        .containsInstanceOf(Permit.class);
  }

  @Test
  void release_twice_freesOneUnit() {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(1, 3, Optional.empty()));
    Permit p = (Permit) cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    p.release();
    p.release();
    assertThat(cb.active(Resource.REQUESTS, RoutingPriority.DEFAULT)).isZero();
  }

  @Test
  void reconfigure_lowerLimit_appliesToNextAcquire() {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(10, 3, Optional.empty()));
    Permit held = (Permit) cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    cb.reconfigure(limits(1, 3, Optional.empty()));
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT)).isInstanceOf(Admission.Rejected.class);
    held.release();
    assertThat(cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT)).isInstanceOf(Permit.class);
  }

  @Test
  void retryBudget_scalesWithOutstandingRequests() {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER,
        limits(1024, 3, Optional.of(new RetryBudget(Fraction.ofPercent(20), 2))));
    assertThat(cb.limit(Resource.RETRIES, RoutingPriority.DEFAULT)).isEqualTo(2);
    for (int i = 0; i < 25; i++) {
      cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    }
    for (int i = 0; i < 5; i++) {
      cb.tryAcquire(Resource.PENDING_REQUESTS, RoutingPriority.DEFAULT);
    }
    // 20% of (25 active + 5 pending) = 6 concurrent retries.
    assertThat(cb.limit(Resource.RETRIES, RoutingPriority.DEFAULT)).isEqualTo(6);
    for (int i = 0; i < 6; i++) {
      assertThat(cb.tryAcquire(Resource.RETRIES, RoutingPriority.DEFAULT)).isInstanceOf(Permit.class);
    }
    Admission overflow = cb.tryAcquire(Resource.RETRIES, RoutingPriority.DEFAULT);
    assertThat(((Admission.Rejected) overflow).failure().reason()).endsWith(
        ": 6 concurrent retries reached (retry_budget, default priority)");
  }

  @Test
  void tryAcquire_contendedByManyThreads_neverExceedsLimitAndNeverWaits() throws Exception {
    int limit = 8;
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(limit, 3, Optional.empty()));
    int threads = 6;
    int rounds = 20_000;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          try {
            start.await();
            for (int i = 0; i < rounds; i++) {
              Admission a = cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
              if (a instanceof Permit p) {
                int now = inFlight.incrementAndGet();
                maxSeen.accumulateAndGet(now, Math::max);
                admitted.incrementAndGet();
                inFlight.decrementAndGet();
                p.release();
              } else {
                rejected.incrementAndGet();
              }
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
    assertThat(maxSeen.get()).isLessThanOrEqualTo(limit);
    assertThat(admitted.get() + rejected.get()).isEqualTo(threads * rounds);
    assertThat(cb.active(Resource.REQUESTS, RoutingPriority.DEFAULT)).isZero();
  }

  @Test
  void tryAcquire_fullFromOtherThreads_rejectsEveryContenderAtOnce() throws Exception {
    CircuitBreaker cb = new CircuitBreaker(CLUSTER, limits(4, 3, Optional.empty()));
    List<Permit> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add((Permit) cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger rejected = new AtomicInteger();
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          if (cb.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT) instanceof Admission.Rejected) {
            rejected.incrementAndGet();
          }
        });
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> rejected.get() == 4);
    } finally {
      pool.shutdownNow();
    }
    held.forEach(Permit::release);
    assertThat(cb.active(Resource.REQUESTS, RoutingPriority.DEFAULT)).isZero();
  }
}
