package dev.inboard.mesh.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Read access to a request's headers by lower-case name, so that an adapter can expose its own header container
 * without copying it.
 */
public interface Headers {

  /** The first value of the header, or null when absent. */
  @Nullable String first(String lowerName);

  /** Every value of the header in order; empty when absent. */
  List<String> all(String lowerName);

  /**
   * The values joined with {@code ","}, as Envoy matches a header that occurs more than once; null when absent.
   * Adapters whose container already joins values may override this.
   */
  default @Nullable String joined(String lowerName) {
    List<String> values = all(lowerName);
    return switch (values.size()) {
      case 0 -> null;
      case 1 -> values.get(0);
      default -> String.join(",", values);
    };
  }

  /** No headers. */
  Headers EMPTY = of(Map.of());

  /** Headers backed by a map; names are lower-cased once, here (values of names that fold together are merged). */
  static Headers of(Map<String, List<String>> headers) {
    Map<String, List<String>> merged = new HashMap<>();
    headers.forEach((name, values) ->
        merged.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
    Map<String, List<String>> frozen = new HashMap<>();
    merged.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
    return new MapHeaders(frozen);
  }

  /** Headers with one value each, e.g. {@code Headers.single(Map.of("end-user", "jason"))}. */
  static Headers single(Map<String, String> headers) {
    Map<String, List<String>> multi = new HashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return of(multi);
  }

  /** The map-backed implementation. */
  record MapHeaders(Map<String, List<String>> values) implements Headers {
    public MapHeaders {
      values = Map.copyOf(values);
    }

    @Override
    public @Nullable String first(String lowerName) {
      List<String> list = values.get(lowerName);
      return list == null || list.isEmpty() ? null : list.get(0);
    }

    @Override
    public List<String> all(String lowerName) {
      return values.getOrDefault(lowerName, List.of());
    }
  }
}
