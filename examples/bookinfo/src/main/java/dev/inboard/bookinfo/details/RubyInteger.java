package dev.inboard.bookinfo.details;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict integer parsing as Ruby's {@code Integer(String)} does it, which decides what the details service accepts
 * as a product id: surrounding white space, a sign, a {@code 0x} / {@code 0b} / {@code 0o} / leading-{@code 0}
 * (octal) radix prefix, single underscores between digits; anything else is not a number.
 */
final class RubyInteger {
  private static final Pattern NUMBER = Pattern.compile(
      "\\s*([+-]?)(?:(0[xX])(\\p{XDigit}(?:_?\\p{XDigit})*)|(0[bB])([01](?:_?[01])*)"
          + "|(0[oO_]?)([0-7](?:_?[0-7])*)|(0|[1-9](?:_?[0-9])*))\\s*");

  private RubyInteger() {}

  static Optional<BigInteger> parse(String text) {
    Matcher m = NUMBER.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    BigInteger value;
    if (m.group(2) != null) {
      value = new BigInteger(m.group(3).replace("_", ""), 16);
    } else if (m.group(4) != null) {
      value = new BigInteger(m.group(5).replace("_", ""), 2);
    } else if (m.group(6) != null) {
      value = new BigInteger(m.group(7).replace("_", ""), 8);
    } else {
      value = new BigInteger(m.group(8).replace("_", ""));
    }
    return Optional.of("-".equals(m.group(1)) ? value.negate() : value);
  }
}
