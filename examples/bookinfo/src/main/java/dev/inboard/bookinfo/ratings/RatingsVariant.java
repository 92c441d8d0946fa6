package dev.inboard.bookinfo.ratings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The faults of the original's ratings images, chosen by the workload's version ({@code mesh.labels.version}):
 * <ul>
 *   <li>{@code v-faulty}: half of the requests (at random) answer 503 {@code {"error":"Service unavailable"}};
 *   <li>{@code v-delayed}: half of the requests (at random) answer after 7 s;
 *   <li>{@code v-unavailable}: 503 in every other 60 s window, starting available;
 *   <li>{@code v-unhealthy}: every other 15 min window is both unavailable and unhealthy ({@code /health} 500);
 *   <li>any other version: no fault.
 * </ul>
 * Time and randomness are injected, so the windows and coin flips can be driven.
 */
final class RatingsVariant {
  static final Duration DELAY = Duration.ofSeconds(7);
  static final Duration UNAVAILABLE_PERIOD = Duration.ofSeconds(60);
  static final Duration UNHEALTHY_PERIOD = Duration.ofMinutes(15);

  /** What to do with one ratings request. */
  enum Outcome { ANSWER, DELAY_THEN_ANSWER, UNAVAILABLE }

  private final String version;
  private final Clock clock;
  private final RandomGenerator random;
  private final Instant started;

  RatingsVariant(String version, Clock clock, RandomGenerator random) {
    this.version = version.toLowerCase(Locale.ROOT);
    this.clock = clock;
    this.random = random;
    this.started = clock.instant();
  }

  /** What the next {@code GET /ratings/<id>} gets. */
  Outcome nextRequest() {
    return switch (version) {
      case "v-faulty" -> random.nextDouble() <= 0.5 ? Outcome.UNAVAILABLE : Outcome.ANSWER;
      case "v-delayed" -> random.nextDouble() <= 0.5 ? Outcome.DELAY_THEN_ANSWER : Outcome.ANSWER;
      case "v-unavailable" -> inOddWindow(UNAVAILABLE_PERIOD) ? Outcome.UNAVAILABLE : Outcome.ANSWER;
      case "v-unhealthy" -> inOddWindow(UNHEALTHY_PERIOD) ? Outcome.UNAVAILABLE : Outcome.ANSWER;
      default -> Outcome.ANSWER;
    };
  }

  /** Whether {@code /health} says healthy. */
  boolean healthy() {
    return !("v-unhealthy".equals(version) && inOddWindow(UNHEALTHY_PERIOD));
  }

  private boolean inOddWindow(Duration period) {
    long elapsed = Duration.between(started, clock.instant()).toMillis();
    return (elapsed / period.toMillis()) % 2 == 1;
  }
}
