package dev.inboard.mesh.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  @Test
  void next_fullJitter_staysBelowTheDoublingIntervalCappedAtMax() {
    long[] ceilings = {25, 50, 100, 200, 250, 250};
    long[] maxSeen = new long[ceilings.length];
    Random random = new Random(17);
    for (int run = 0; run < 2000; run++) {
      RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(25), Duration.ofMillis(250), random);
      for (int n = 0; n < ceilings.length; n++) {
        long ms = backoff.next().toMillis();
        assertThat(ms).isBetween(0L, ceilings[n] - 1);
        maxSeen[n] = Math.max(maxSeen[n], ms);
      }
    }
    // Over 2000 runs the waits reach close to each ceiling (full jitter spreads over the whole range).
    for (int n = 0; n < ceilings.length; n++) {
      assertThat(maxSeen[n]).isGreaterThanOrEqualTo(ceilings[n] * 9 / 10);
    }
  }

  @Test
  void reset_startsFromTheBaseIntervalAgain() {
    RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(1000), new Random(1));
    for (int i = 0; i < 5; i++) {
      backoff.next();
    }
    backoff.reset();
    for (int i = 0; i < 100; i++) {
      backoff.reset();
      assertThat(backoff.next().toMillis()).isLessThan(10);
    }
  }
}
