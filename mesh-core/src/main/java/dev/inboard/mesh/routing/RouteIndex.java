package dev.inboard.mesh.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A virtual host's routes grouped by the first path segment they can match, keeping the configured order inside
 * every group so that the first matching route still wins. A case-sensitive {@code prefix}, {@code path} or
 * {@code path_separated_prefix} that names a whole first segment ({@code /reviews/}, {@code /reviews} as an exact
 * path) can only match requests with that segment; a prefix ending inside the first segment ({@code /rev}) can only
 * match segments that start with it; a regex counts as a prefix of the literal text its matches start with; every
 * other route (a regex without a literal start, case-insensitive matches) is a candidate for every request. A
 * request whose segment no route names is checked against the partial prefixes and the other routes.
 */
final class RouteIndex {
  /** Above this many entries across groups the index is not worth its memory and every route is checked. */
  private static final long MAX_INDEX_ENTRIES = 1 << 20;

  private final CompiledRoute[] all;
  private final RegionTable<CompiledRoute[]> bySegment;
  private final CompiledRoute[] otherSegments;
  private final boolean indexed;

  RouteIndex(List<CompiledRoute> routes) {
    this.all = routes.toArray(CompiledRoute[]::new);
    Set<String> keys = new LinkedHashSet<>();
    for (CompiledRoute route : routes) {
      String key = fullSegment(route);
      if (key == null) {
        key = partialSegment(route);
      }
      if (key != null) {
        keys.add(key);
      }
    }
    List<CompiledRoute> other = new ArrayList<>();
    for (CompiledRoute route : routes) {
      if (fullSegment(route) == null) {
        other.add(route);
      }
    }
    long entries = (long) keys.size() * other.size();
    this.indexed = !keys.isEmpty() && entries <= MAX_INDEX_ENTRIES;
    Map<String, CompiledRoute[]> groups = new HashMap<>();
    if (indexed) {
      for (String key : keys) {
        List<CompiledRoute> group = new ArrayList<>();
        for (CompiledRoute route : routes) {
          if (canMatchSegment(route, key)) {
            group.add(route);
          }
        }
        groups.put(key, group.toArray(CompiledRoute[]::new));
      }
    }
    this.bySegment = new RegionTable<>(groups, false);
    this.otherSegments = other.toArray(CompiledRoute[]::new);
  }

  /** The routes, in configured order, that can match a request with this path. */
  CompiledRoute[] candidates(String path, int pathEnd) {
    if (!indexed || path.isEmpty() || path.charAt(0) != '/') {
      return all;
    }
    int end = 1;
    while (end < pathEnd && path.charAt(end) != '/') {
      end++;
    }
    CompiledRoute[] group = bySegment.get(path, 1, end);
    return group != null ? group : otherSegments;
  }

  private static boolean canMatchSegment(CompiledRoute route, String segment) {
    String full = fullSegment(route);
    if (full != null) {
      return full.equals(segment);
    }
    String partial = partialSegment(route);
    return partial == null || segment.startsWith(partial);
  }

  /** The whole first segment every path the route matches has, or null when not fixed. */
  static @Nullable String fullSegment(CompiledRoute route) {
    if (!literalCaseSensitive(route) || !route.literal.startsWith("/")) {
      return null;
    }
    String literal = route.literal;
    int slash = literal.indexOf('/', 1);
    String segment = slash < 0 ? literal.substring(1) : literal.substring(1, slash);
    if (segment.indexOf('?') >= 0 || segment.indexOf('#') >= 0) {
      return null;
    }
    if (slash < 0 && (route.kind == CompiledRoute.PREFIX || route.kind == CompiledRoute.REGEX)) {
      return null; // ends inside the segment: a partial prefix
    }
    return segment;
  }

  /** Regexes ignore {@code case_sensitive}: their literal start is always case-sensitive. */
  private static boolean literalCaseSensitive(CompiledRoute route) {
    return route.kind == CompiledRoute.REGEX || route.caseSensitive;
  }

  /** For a prefix (or a regex's literal start) ending inside the first segment, the segment's required start; else null. */
  static @Nullable String partialSegment(CompiledRoute route) {
    boolean prefixLike = route.kind == CompiledRoute.PREFIX || route.kind == CompiledRoute.REGEX;
    if (!prefixLike || !literalCaseSensitive(route) || !route.literal.startsWith("/")) {
      return null;
    }
    String literal = route.literal;
    if (literal.indexOf('/', 1) >= 0 || literal.indexOf('?') >= 0 || literal.indexOf('#') >= 0) {
      return null;
    }
    return literal.substring(1);
  }
}
