package dev.inboard.mesh.agent.xdsgen;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Host names the way istiod reads them in VirtualServices and DestinationRules: short names resolved against the
 * resource's namespace, wildcard matching, and the {@code host:port} names of virtual hosts.
 */
public final class IstioHosts {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IstioHosts() {}

  /**
   * A host as written in a resource of {@code namespace}, made fully qualified: a name without a dot becomes
   * {@code name.namespace.svc.<domainSuffix>}; names with a dot, {@code *} and IP addresses stay as written (so
   * {@code reviews.default} is <em>not</em> expanded, as in istiod).
   */
  public static String resolve(String host, String namespace, String domainSuffix) {
    if (host.isEmpty() || host.equals("*") || isIpAddress(host) || host.contains(".")) {
      return host;
    }
    return host + "." + namespace + ".svc." + domainSuffix;
  }

  public static boolean isWildcard(String host) {
    return host.startsWith("*");
  }

  /**
   * Whether two hosts overlap, either side possibly a wildcard: {@code *} matches everything,
   * {@code *.example.com} matches {@code a.example.com} and {@code *.b.example.com}.
   */
  public static boolean matches(String a, String b) {
    boolean wildA = isWildcard(a);
    boolean wildB = isWildcard(b);
    if (!wildA && !wildB) {
      return a.equals(b);
    }
    if (wildA && wildB) {
      String suffixA = a.substring(1);
      String suffixB = b.substring(1);
      return suffixA.length() <= suffixB.length() ? suffixB.endsWith(suffixA) : suffixA.endsWith(suffixB);
    }
    return wildA ? b.endsWith(a.substring(1)) : a.endsWith(b.substring(1));
  }

  /**
   * The most specific of {@code candidates} matching {@code host}: the host itself when listed, otherwise the
   * longest matching wildcard; the earliest of equally long ones.
   */
  public static Optional<String> mostSpecificMatch(String host, Collection<String> candidates) {
    if (candidates.contains(host)) {
      return Optional.of(host);
    }
    @Nullable String best = null;
    for (String candidate : candidates) {
      if (isWildcard(candidate) && matches(candidate, host) && (best == null || candidate.length() > best.length())) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
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
    return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
  }
}
