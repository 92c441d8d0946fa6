package dev.inboard.bookinfo.ratings;

import static dev.inboard.bookinfo.ratings.RatingsVariant.Outcome.ANSWER;
import static dev.inboard.bookinfo.ratings.RatingsVariant.Outcome.DELAY_THEN_ANSWER;
import static dev.inboard.bookinfo.ratings.RatingsVariant.Outcome.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RatingsVariantTest {
  /** A clock the test moves. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void forward(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Coin flips the test decides. */
  static RandomGenerator flips(Double... values) {
    Deque<Double> next = new ArrayDeque<>(List.of(values));
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        return next.removeFirst();
      }
    };
  }

  final StepClock clock = new StepClock();

  @Test
  void v1_andUnknownVersions_neverFail() {
    for (String version : List.of("v1", "v2", "canary")) {
      RatingsVariant v = new RatingsVariant(version, clock, flips());
      assertThat(v.nextRequest()).isEqualTo(ANSWER);
      assertThat(v.healthy()).isTrue();
    }
  }

  @Test
  void faulty_halfUnavailable_byTheCoin() {
    RatingsVariant v = new RatingsVariant("v-faulty", clock, flips(0.2, 0.5, 0.51, 0.9));
    assertThat(List.of(v.nextRequest(), v.nextRequest(), v.nextRequest(), v.nextRequest()))
        .containsExactly(UNAVAILABLE, UNAVAILABLE, ANSWER, ANSWER);
  }

  @Test
  void delayed_halfDelayed7s_byTheCoin() {
    RatingsVariant v = new RatingsVariant("v-delayed", clock, flips(0.1, 0.7));
    assertThat(List.of(v.nextRequest(), v.nextRequest())).containsExactly(DELAY_THEN_ANSWER, ANSWER);
    assertThat(RatingsVariant.DELAY).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void unavailable_everyOther60sWindow_startingAvailable() {
    RatingsVariant v = new RatingsVariant("v-unavailable", clock, flips());
    assertThat(v.nextRequest()).isEqualTo(ANSWER);
    clock.forward(Duration.ofSeconds(59));
    assertThat(v.nextRequest()).isEqualTo(ANSWER);
    clock.forward(Duration.ofSeconds(1));
    assertThat(v.nextRequest()).isEqualTo(UNAVAILABLE);
    assertThat(v.healthy()).isTrue();
    clock.forward(Duration.ofSeconds(60));
    assertThat(v.nextRequest()).isEqualTo(ANSWER);
  }

  @Test
  void unhealthy_every15MinWindow_unavailableAndUnhealthy() {
    RatingsVariant v = new RatingsVariant("v-unhealthy", clock, flips());
    assertThat(v.healthy()).isTrue();
    clock.forward(Duration.ofMinutes(15));
    assertThat(v.healthy()).isFalse();
    assertThat(v.nextRequest()).isEqualTo(UNAVAILABLE);
    clock.forward(Duration.ofMinutes(15));
    assertThat(v.healthy()).isTrue();
    assertThat(v.nextRequest()).isEqualTo(ANSWER);
  }
}
