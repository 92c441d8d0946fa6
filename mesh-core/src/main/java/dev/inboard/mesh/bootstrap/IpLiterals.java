package dev.inboard.mesh.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Recognizes IPv4 and IPv6 literals without ever resolving a host name. */
final class IpLiterals {
  private IpLiterals() {}

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");

  static boolean isIpLiteral(String value) {
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    if (value.indexOf(':') < 0 || !IPV6_CHARS.matcher(value).matches()) {
      return false;
    }
    try {
      // In brackets InetAddress must parse an IPv6 literal and never falls back to a DNS lookup.
      InetAddress.getByName("[" + value + "]");
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
