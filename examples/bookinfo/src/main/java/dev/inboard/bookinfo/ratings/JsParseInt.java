package dev.inboard.bookinfo.ratings;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient integer parsing as JavaScript's {@code parseInt(string)} does it, which decides what the ratings service
 * accepts as a product id: leading white space, a sign, an optional {@code 0x} prefix, then as many digits as there
 * are ({@code "7abc"} is 7); no digit at all is not a number.
 */
final class JsParseInt {
  private static final Pattern NUMBER = Pattern.compile("\\s*([+-]?)(?:0[xX](\\p{XDigit}+)|([0-9]+)).*",
      Pattern.DOTALL);

  private JsParseInt() {}

  static OptionalLong parse(String text) {
    Matcher m = NUMBER.matcher(text);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    String digits = m.group(2) != null ? m.group(2) : m.group(3);
    int radix = m.group(2) != null ? 16 : 10;
    try {
      long value = Long.parseLong(digits, radix);
      return OptionalLong.of("-".equals(m.group(1)) ? -value : value);
    } catch (NumberFormatException tooLong) {
      return OptionalLong.empty();
    }
  }
}
