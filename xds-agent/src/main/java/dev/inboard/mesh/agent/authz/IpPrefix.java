package dev.inboard.mesh.agent.authz;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP address or CIDR block from a policy ({@code 10.1.2.3}, {@code 10.1.0.0/16}, {@code 2001:db8::/32}). A bare
 * address is a /32 (IPv4) or /128 (IPv6) block. The address is kept as written, canonicalised but not masked, the way
 * Envoy receives it from istiod.
 */
record IpPrefix(String address, int bits) {

  static IpPrefix parse(String value) throws RuleException {
    if (value.isEmpty()) {
      throw new RuleException("invalid IP address \"\": empty");
    }
    int slash = value.indexOf('/');
    String addressText = slash < 0 ? value : value.substring(0, slash);
    InetAddress address = address(value, addressText);
    boolean v6 = addressText.indexOf(':') >= 0;
    int max = v6 ? 128 : 32;
    if (slash < 0) {
      return new IpPrefix(canonical(address, v6), max);
    }
    String bitsText = value.substring(slash + 1);
    if (bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(c -> c >= '0' && c <= '9')
        || (bitsText.length() > 1 && bitsText.charAt(0) == '0')) {
      throw new RuleException("invalid CIDR \"" + value + "\": bad prefix length");
    }
    int bits = Integer.parseInt(bitsText);
    if (bits > max) {
      throw new RuleException("invalid CIDR \"" + value + "\": prefix length " + bits + " is over " + max);
    }
    return new IpPrefix(canonical(address, v6), bits);
  }

  private static InetAddress address(String value, String text) throws RuleException {
    if (text.indexOf(':') < 0) {
      if (!ipv4(text)) {
        throw new RuleException("invalid IP address \"" + value + "\"");
      }
    } else if (text.indexOf('%') >= 0) {
      throw new RuleException("invalid IP address \"" + value + "\": zones are not allowed");
    }
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      throw new RuleException("invalid IP address \"" + value + "\"");
    }
  }

  /** Dotted quad, no leading zeros (an octal look-alike is rejected rather than guessed). */
  private static boolean ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static String canonical(InetAddress address, boolean writtenAsV6) {
    if (writtenAsV6 && address instanceof Inet4Address v4) {
      // An IPv4-mapped IPv6 address stays an IPv6 address.
      return "::ffff:" + InetAddresses.toAddrString(v4);
    }
    return InetAddresses.toAddrString(address);
  }
}
