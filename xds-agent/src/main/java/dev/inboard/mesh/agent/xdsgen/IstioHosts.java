package dev.inboard.mesh.agent.xdsgen;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's host name rules: short names resolved against a config's namespace, wildcard matching ({@code *},
 * {@code *.example.com}) and the most specific match among several patterns.
 */
public final class IstioHosts {
  private IstioHosts() {}

  public static boolean isWildcard(String host) {
    return host.startsWith("*");
  }

  /**
   * A host as written in a resource of {@code namespace}, made fully qualified: a name without a dot becomes
   * {@code name.namespace.svc.domainSuffix}; {@code *}, IP addresses and names with a dot stay as they are.
   */
  public static String resolve(String host, String namespace, String domainSuffix) {
    if (host.isEmpty() || host.equals("*") || host.contains(".") || host.contains(":")) {
      return host;
    }
    return host + "." + namespace + ".svc." + domainSuffix;
  }

  /** Whether two hosts overlap: equal, or one wildcard covers the other (in either direction). */
  public static boolean matches(String a, String b) {
    boolean aWild = isWildcard(a);
    boolean bWild = isWildcard(b);
    if (aWild && bWild) {
      return a.length() < b.length()
          ? b.substring(1).endsWith(a.substring(1))
          : a.substring(1).endsWith(b.substring(1));
    }
    if (aWild) {
      return b.endsWith(a.substring(1));
    }
    if (bWild) {
      return a.endsWith(b.substring(1));
    }
    return a.equals(b);
  }

  /** Whether every name {@code host} covers is also covered by {@code pattern}. */
  public static boolean subsetOf(String host, String pattern) {
    boolean hWild = isWildcard(host);
    boolean pWild = isWildcard(pattern);
    if (hWild) {
      return pWild && host.length() >= pattern.length() && host.substring(1).endsWith(pattern.substring(1));
    }
    if (pWild) {
      return host.endsWith(pattern.substring(1));
    }
    return host.equals(pattern);
  }

  /**
   * Istio's most specific match of {@code needle} among {@code hosts}: an exact entry wins; otherwise the longest
   * wildcard whose suffix covers the needle (ties broken by name, for a stable answer).
   */
  public static Optional<String> mostSpecificMatch(String needle, Collection<String> hosts) {
    Set<String> set = hosts instanceof Set<String> s ? s : Set.copyOf(hosts);
    if (set.contains(needle)) {
      return Optional.of(needle);
    }
    String suffixOf = isWildcard(needle) ? needle.substring(1) : needle;
    String best = null;
    for (String h : set) {
      if (!isWildcard(h) || !suffixOf.endsWith(h.substring(1))) {
        continue;
      }
      if (best == null || h.length() > best.length() || (h.length() == best.length() && h.compareTo(best) < 0)) {
        best = h;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Istio's {@code exportTo} rule: {@code *} (or nothing) exports everywhere, {@code .} to the owner's namespace,
   * a namespace name to that namespace, {@code ~} nowhere.
   */
  public static boolean exportedTo(Collection<String> exportTo, String ownerNamespace, String clientNamespace) {
    if (exportTo.isEmpty() || exportTo.contains("*")) {
      return true;
    }
    if (exportTo.contains(".") && ownerNamespace.equals(clientNamespace)) {
      return true;
    }
    return exportTo.contains(clientNamespace);
  }

  /** {@code host:port}, with IPv6 literals in brackets. */
  public static String hostPort(String host, int port) {
    return ipv6Compliant(host) + ":" + port;
  }

  /** IPv6 literals in brackets, as Envoy expects them in domains; anything else unchanged. */
  public static String ipv6Compliant(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  static boolean isIpAddress(String host) {
    return com.google.common.net.InetAddresses.isInetAddress(host);
  }
}
