package dev.inboard.mesh.routing;

/** Converts an RE2 substitution ({@code \1} refers to a group) to RE2/J's replacement syntax ({@code $1}). */
final class RegexSubstitution {
  private RegexSubstitution() {}

  static String toRe2j(String re2) {
    StringBuilder out = new StringBuilder(re2.length() + 4);
    for (int i = 0; i < re2.length(); i++) {
      char c = re2.charAt(i);
      if (c == '\\' && i + 1 < re2.length()) {
        char next = re2.charAt(i + 1);
        if (next >= '0' && next <= '9') {
          out.append('$').append(next);
          i++;
          continue;
        }
        if (next == '\\') {
          out.append("\\\\");
          i++;
          continue;
        }
      }
      if (c == '$' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
