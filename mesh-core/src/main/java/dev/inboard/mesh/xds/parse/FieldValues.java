package dev.inboard.mesh.xds.parse;

import com.google.protobuf.UInt32Value;
import java.math.BigDecimal;
import java.time.Duration;

/** Small conversions of wrapper and duration fields shared by the cluster parsers. */
final class FieldValues {
  static final long UINT32_MAX = 0xFFFF_FFFFL;

  private FieldValues() {}

  /** An unsigned 32-bit wrapper as a {@code long}, or {@code dflt} when the field is absent. */
  static long u32(boolean present, UInt32Value value, long dflt) {
    return present ? Integer.toUnsignedLong(value.getValue()) : dflt;
  }

  /** A percentage in [0, 100] from an unsigned wrapper; the path of a failure is the field itself. */
  static int percent(String field, boolean present, UInt32Value value, int dflt) throws XdsValidationException {
    long v = u32(present, value, dflt);
    Validation.check(v <= 100, field, "must be <= 100, was " + v);
    return (int) v;
  }

  /** A duration that must be greater than zero, or {@code dflt} when absent. */
  static Duration positiveDuration(String field, boolean present, com.google.protobuf.Duration value, Duration dflt)
      throws XdsValidationException {
    if (!present) {
      return dflt;
    }
    Duration d = Validation.at(field, () -> CommonProtos.duration(value));
    Validation.check(!d.isZero(), field, "must be > 0, was " + format(d));
    return d;
  }

  /** A duration that may be zero, or {@code dflt} when absent. */
  static Duration duration(String field, boolean present, com.google.protobuf.Duration value, Duration dflt)
      throws XdsValidationException {
    return present ? Validation.at(field, () -> CommonProtos.duration(value)) : dflt;
  }

  /** A duration as protobuf's JSON form writes it: {@code 10s}, {@code 0.25s}. */
  static String format(Duration d) {
    BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString() + "s";
  }

  /** An enum constant's proto name in lower case, as errors name oneof cases: {@code api_config_source}. */
  static String caseName(Enum<?> protoCase) {
    return protoCase.name().toLowerCase(java.util.Locale.ROOT);
  }
}
