package dev.inboard.mesh.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Picks the virtual host for an authority the way Envoy does, case-insensitively: an exact domain first, then the
 * longest suffix wildcard ({@code *.example.com}, {@code *-bar.example.com}), then the longest prefix wildcard
 * ({@code foo.*}), then {@code *}. A wildcard matches at least one character. The authority is matched with its
 * port ({@code reviews:9080} matches only a domain that names the port, or a wildcard) unless the route
 * configuration ignores ports, in which case the trailing {@code :port} is removed first.
 */
final class VirtualHostSelector<T> {
  private final RegionTable<T> exact;
  /** Suffix wildcards by suffix length, longest first; each table keyed by the lower-case suffix. */
  private final int[] suffixLengths;
  private final List<RegionTable<T>> suffixTables;
  private final int[] prefixLengths;
  private final List<RegionTable<T>> prefixTables;
  private final @Nullable T fallback;
  private final boolean ignorePort;

  VirtualHostSelector(List<T> hosts, Function<T, List<String>> domains, boolean ignorePort) {
    Map<String, T> exactMap = new HashMap<>();
    TreeMap<Integer, Map<String, T>> suffixes = new TreeMap<>();
    TreeMap<Integer, Map<String, T>> prefixes = new TreeMap<>();
    T star = null;
    for (T host : hosts) {
      for (String raw : domains.apply(host)) {
        String domain = Ascii.toLower(raw);
        if (domain.equals("*")) {
          star = star == null ? host : star;
        } else if (domain.startsWith("*")) {
          String suffix = domain.substring(1);
          suffixes.computeIfAbsent(suffix.length(), l -> new HashMap<>()).putIfAbsent(suffix, host);
        } else if (domain.endsWith("*")) {
          String prefix = domain.substring(0, domain.length() - 1);
          prefixes.computeIfAbsent(prefix.length(), l -> new HashMap<>()).putIfAbsent(prefix, host);
        } else {
          exactMap.putIfAbsent(domain, host);
        }
      }
    }
    this.exact = new RegionTable<>(exactMap, true);
    this.suffixLengths = descendingKeys(suffixes);
    this.suffixTables = tables(suffixes);
    this.prefixLengths = descendingKeys(prefixes);
    this.prefixTables = tables(prefixes);
    this.fallback = star;
    this.ignorePort = ignorePort;
  }

  private static int[] descendingKeys(TreeMap<Integer, ?> map) {
    return map.descendingKeySet().stream().mapToInt(Integer::intValue).toArray();
  }

  private static <T> List<RegionTable<T>> tables(TreeMap<Integer, Map<String, T>> map) {
    List<RegionTable<T>> tables = new ArrayList<>();
    map.descendingMap().values().forEach(m -> tables.add(new RegionTable<>(m, true)));
    return List.copyOf(tables);
  }

  /** The virtual host for the authority, or null when none matches (Envoy answers 404, NR). */
  @Nullable T select(String authority) {
    int end = ignorePort ? hostEnd(authority) : authority.length();
    T found = exact.get(authority, 0, end);
    if (found != null) {
      return found;
    }
    for (int i = 0; i < suffixLengths.length; i++) {
      int length = suffixLengths[i];
      if (length < end) {
        found = suffixTables.get(i).get(authority, end - length, end);
        if (found != null) {
          return found;
        }
      }
    }
    for (int i = 0; i < prefixLengths.length; i++) {
      int length = prefixLengths[i];
      if (length < end) {
        found = prefixTables.get(i).get(authority, 0, length);
        if (found != null) {
          return found;
        }
      }
    }
    return fallback;
  }

  /**
   * Where the host ends when a port follows it, as Envoy finds it: at the last {@code :} unless a {@code ]} (the end
   * of a bracketed IPv6 address) comes after it. The port is not validated ({@code host:abc} is {@code host}), and a
   * bare IPv6 address loses its last group, as in Envoy.
   */
  static int hostEnd(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0) {
      return authority.length();
    }
    int bracket = authority.lastIndexOf(']');
    return bracket < 0 || bracket < colon ? colon : authority.length();
  }
}
