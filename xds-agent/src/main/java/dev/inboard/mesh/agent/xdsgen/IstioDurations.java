package dev.inboard.mesh.agent.xdsgen;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Durations as Istio resources write them (Go syntax: {@code 6s}, {@code 1m30s}, {@code 8ms}, {@code 1.5h}) and
 * as xDS carries them.
 */
public final class IstioDurations {
  private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of(
      "ns", BigDecimal.ONE,
      "us", BigDecimal.valueOf(1_000),
      "µs", BigDecimal.valueOf(1_000),
      "ms", BigDecimal.valueOf(1_000_000),
      "s", BigDecimal.valueOf(1_000_000_000),
      "m", BigDecimal.valueOf(60_000_000_000L),
      "h", BigDecimal.valueOf(3_600_000_000_000L));

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private IstioDurations() {}

  /** Parses a Go duration; throws {@link IllegalArgumentException} naming the text when it is not one. */
  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 7s, 1.5s, 100ms, 1h30m)");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String number = s.substring(start, unitStart);
      BigDecimal perUnit = NANOS_PER_UNIT.get(s.substring(unitStart, i));
      if (number.isEmpty() || number.equals(".") || perUnit == null) {
        throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 7s, 1.5s, 100ms, 1h30m)");
      }
      nanos = nanos.add(new BigDecimal(number).multiply(perUnit));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration (at most about 292 years)");
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  public static com.google.protobuf.Duration toProto(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  /** A Go duration as an xDS duration. */
  public static com.google.protobuf.Duration proto(String text) {
    return toProto(parse(text));
  }
}
