package dev.inboard.mesh.agent.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * The mesh's trust domain followed by its aliases (mesh config {@code trustDomain}, {@code trustDomainAliases}).
 * Identities of any of them are the same workload, so a policy principal {@code <td>/ns/<ns>/sa/<sa>} naming one of
 * them, or the placeholder {@code cluster.local}, is expanded to one principal per trust domain.
 */
public record TrustDomainBundle(List<String> trustDomains) {
  public static final String CLUSTER_LOCAL = "cluster.local";

  public TrustDomainBundle {
    trustDomains = List.copyOf(trustDomains);
    if (trustDomains.isEmpty() || trustDomains.get(0).isEmpty()) {
      throw new IllegalArgumentException("the trust domain must not be empty, was " + trustDomains);
    }
  }

  public static TrustDomainBundle of(String trustDomain, List<String> aliases) {
    List<String> all = new ArrayList<>(aliases.size() + 1);
    all.add(trustDomain);
    all.addAll(aliases);
    return new TrustDomainBundle(all);
  }

  public static TrustDomainBundle of(String trustDomain) {
    return of(trustDomain, List.of());
  }

  /**
   * Each principal, or when it names one of the bundle's trust domains (or {@code cluster.local}) that principal
   * rewritten for every trust domain. Principals that are not {@code <td>/ns/<ns>/sa/<sa>}, or whose trust domain is
   * {@code *} or foreign, are kept as they are.
   */
  List<String> expand(List<String> principals) {
    List<String> out = new ArrayList<>(principals.size());
    for (String principal : principals) {
      String[] parts = principal.split("/", -1);
      if (parts.length != 5 || parts[0].equals("*")) {
        out.add(principal);
        continue;
      }
      String from = parts[0];
      if (!matchesAny(from) && !from.equals(CLUSTER_LOCAL)) {
        out.add(principal);
        continue;
      }
      List<String> rewritten = new ArrayList<>(trustDomains.size());
      for (String td : trustDomains) {
        // A wildcard trust domain such as "*-td" that already covers this one stays as written.
        String candidate = suffixPattern(from, td) ? principal : td + principal.substring(from.length());
        if (!rewritten.contains(candidate)) {
          rewritten.add(candidate);
        }
      }
      out.addAll(rewritten);
    }
    return out;
  }

  /** Either side may be a pattern ({@code *}, {@code x*}, {@code *x}). */
  private boolean matchesAny(String trustDomain) {
    for (String td : trustDomains) {
      if (trustDomain.equals(td) || td.equals("*")
          || prefixPattern(td, trustDomain) || prefixPattern(trustDomain, td)
          || suffixPattern(td, trustDomain) || suffixPattern(trustDomain, td)) {
        return true;
      }
    }
    return false;
  }

  private static boolean prefixPattern(String pattern, String value) {
    return pattern.endsWith("*") && value.startsWith(pattern.substring(0, pattern.length() - 1));
  }

  private static boolean suffixPattern(String pattern, String value) {
    return pattern.startsWith("*") && value.endsWith(pattern.substring(1));
  }
}
