package dev.inboard.mesh.routing;

/**
 * The literal text every full match of an RE2 pattern must start with ({@code /svc1/} for {@code /svc1/[a-z]+}),
 * found conservatively: a pattern with any alternation, or starting with a group, class or flag, has none. Lets a
 * regex route be indexed and rejected cheaply before the regex runs.
 */
final class RegexLiteral {
  private static final String META = ".[]()*+?{}^$|\\";

  private RegexLiteral() {}

  static String prefix(String regex) {
    if (regex.indexOf('|') >= 0) {
      return "";
    }
    StringBuilder literal = new StringBuilder();
    int i = regex.startsWith("^") ? 1 : 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      int next;
      if (c == '\\') {
        if (i + 1 >= regex.length()) {
          break;
        }
        c = regex.charAt(i + 1);
        if (Character.isLetterOrDigit(c) || c > 0x7f) {
          break; // a class (\d, \w), an escape sequence (\x, \Q) or a back reference
        }
        next = i + 2;
      } else if (META.indexOf(c) >= 0 || Character.isHighSurrogate(c)) {
        break;
      } else {
        next = i + 1;
      }
      if (next < regex.length()) {
        char quantifier = regex.charAt(next);
        if (quantifier == '*' || quantifier == '?' || quantifier == '{') {
          break;
        }
        if (quantifier == '+') {
          literal.append(c);
          break;
        }
      }
      literal.append(c);
      i = next;
    }
    return literal.toString();
  }
}
