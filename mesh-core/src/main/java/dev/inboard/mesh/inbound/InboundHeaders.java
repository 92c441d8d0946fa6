package dev.inboard.mesh.inbound;

import dev.inboard.mesh.routing.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Immutable HTTP headers looked up case-insensitively, each name with its values in the order received. Names are
 * kept lower-case (as HTTP/2 sends them and Envoy matches them), in the order first seen.
 *
 * <pre>{@code
 * InboundHeaders headers = InboundHeaders.builder().add("End-User", "jason").build();
 * headers.first("end-user"); // "jason"
 * }</pre>
 */
public final class InboundHeaders implements Headers {
  /** No headers. */
  public static final InboundHeaders NONE = new InboundHeaders(Map.of());

  private final Map<String, List<String>> values;

  private InboundHeaders(Map<String, List<String>> values) {
    this.values = values;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Headers from a map; names that differ only in case are merged. */
  public static InboundHeaders of(Map<String, ? extends List<String>> headers) {
    Builder builder = builder();
    headers.forEach((name, list) -> list.forEach(value -> builder.add(name, value)));
    return builder.build();
  }

  /** The first value of the header (any case), or null when absent. */
  @Override
  public @Nullable String first(String name) {
    List<String> list = values.get(lower(name));
    return list == null ? null : list.get(0);
  }

  /** Every value of the header (any case) in order; empty when absent. */
  @Override
  public List<String> all(String name) {
    return values.getOrDefault(lower(name), List.of());
  }

  /** The lower-case names, in the order first seen. */
  public Set<String> names() {
    return values.keySet();
  }

  /** Name to values, lower-case names in the order first seen. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InboundHeaders other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  private static String lower(String name) {
    for (int i = 0, n = name.length(); i < n; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /** Collects header values; {@link #build} freezes them. */
  public static final class Builder {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Builder() {}

    /** Adds one value of a header; a header may occur several times. */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      values.computeIfAbsent(lower(name), n -> new ArrayList<>(1)).add(value);
      return this;
    }

    /** Replaces every value of a header with this one. */
    public Builder set(String name, String value) {
      Objects.requireNonNull(value, "value");
      values.put(lower(Objects.requireNonNull(name, "name")), new ArrayList<>(List.of(value)));
      return this;
    }

    public InboundHeaders build() {
      if (values.isEmpty()) {
        return NONE;
      }
      Map<String, List<String>> frozen = new LinkedHashMap<>();
      values.forEach((name, list) -> frozen.put(name, List.copyOf(list)));
      return new InboundHeaders(Collections.unmodifiableMap(frozen));
    }
  }
}
