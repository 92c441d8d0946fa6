package dev.inboard.mesh.routing;

/** ASCII-only case folding, as Envoy compares hosts, paths and header values case-insensitively. */
final class Ascii {
  private Ascii() {}

  static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** Whether {@code s[offset, offset + other.length())} equals {@code other}, optionally ignoring ASCII case. */
  static boolean regionEquals(String s, int offset, String other, boolean ignoreCase) {
    int n = other.length();
    if (offset < 0 || offset + n > s.length()) {
      return false;
    }
    if (!ignoreCase) {
      return s.startsWith(other, offset);
    }
    for (int i = 0; i < n; i++) {
      if (lower(s.charAt(offset + i)) != lower(other.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWith(String s, String prefix, boolean ignoreCase) {
    return regionEquals(s, 0, prefix, ignoreCase);
  }

  static boolean endsWith(String s, String suffix, boolean ignoreCase) {
    return regionEquals(s, s.length() - suffix.length(), suffix, ignoreCase);
  }

  static boolean equals(String a, String b, boolean ignoreCase) {
    return a.length() == b.length() && regionEquals(a, 0, b, ignoreCase);
  }

  static boolean contains(String s, String part, boolean ignoreCase) {
    if (!ignoreCase) {
      return s.contains(part);
    }
    for (int i = 0, last = s.length() - part.length(); i <= last; i++) {
      if (regionEquals(s, i, part, true)) {
        return true;
      }
    }
    return false;
  }

  static String toLower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          chars[j] = lower(chars[j]);
        }
        return new String(chars);
      }
    }
    return s;
  }
}
