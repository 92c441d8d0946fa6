package dev.inboard.mesh.xds.parse;

/** Recognises IPv4 and IPv6 address literals without ever resolving a name. */
final class IpLiterals {
  private IpLiterals() {}

  static boolean isIpLiteral(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    int percent = s.indexOf('%');
    if (percent >= 0) {
      if (percent == s.length() - 1) {
        return false;
      }
      s = s.substring(0, percent);
    }
    if (s.indexOf(':') < 0) {
      return false;
    }
    int lastColon = s.lastIndexOf(':');
    String last = s.substring(lastColon + 1);
    if (last.indexOf('.') >= 0) {
      // An embedded IPv4 address stands for the last two groups.
      if (!isIpv4(last)) {
        return false;
      }
      s = s.substring(0, lastColon + 1) + "0:0";
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    if (doubleColon < 0) {
      return countGroups(s) == 8;
    }
    int head = countGroups(s.substring(0, doubleColon));
    int tail = countGroups(s.substring(doubleColon + 2));
    return head >= 0 && tail >= 0 && head + tail <= 7;
  }

  /** The number of hex groups in a colon-separated run (0 for an empty run), or -1 when malformed. */
  private static int countGroups(String run) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] groups = run.split(":", -1);
    for (String g : groups) {
      if (!isHexGroup(g)) {
        return -1;
      }
    }
    return groups.length;
  }

  private static boolean isHexGroup(String g) {
    if (g.isEmpty() || g.length() > 4) {
      return false;
    }
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
