package dev.inboard.mesh.agent.xdsgen;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations as Istio resources write them: Go's syntax ({@code 7s}, {@code 1.5s}, {@code 100ms}, {@code 1h30m},
 * units {@code ns us µs ms s m h}), which also covers the protobuf JSON form ({@code 0.5s}).
 */
final class GoDurations {
  private GoDurations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the value when it is not a duration. */
  static Duration parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw invalid(text);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw invalid(text);
      }
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos(s.substring(unitStart, i), text))));
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /** {@code d} as a protobuf duration. */
  static com.google.protobuf.Duration toProto(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  /** Parses {@code text} into a protobuf duration. */
  static com.google.protobuf.Duration proto(String text) {
    return toProto(parse(text));
  }

  private static long unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw invalid(text);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration (e.g. 7s, 1.5s, 100ms, 1h30m)");
  }
}
