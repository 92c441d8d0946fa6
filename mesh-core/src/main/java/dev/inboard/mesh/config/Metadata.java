package dev.inboard.mesh.config;

import java.util.Map;
import java.util.Optional;

/**
 * Envoy's {@code core.v3.Metadata}: filter name to a JSON-like tree of immutable Java values ({@code String},
 * {@code Double}, {@code Boolean}, {@code List}, {@code Map}). Used for Istio's {@code istio} metadata (services,
 * workload, subset) and {@code envoy.transport_socket_match} (tlsMode).
 */
public record Metadata(Map<String, Map<String, Object>> filterMetadata) {
  public static final Metadata EMPTY = new Metadata(Map.of());

  public Metadata {
    filterMetadata = Map.copyOf(filterMetadata);
  }

  public Optional<Object> value(String filter, String key) {
    Map<String, Object> fields = filterMetadata.get(filter);
    return fields == null ? Optional.empty() : Optional.ofNullable(fields.get(key));
  }

  public Optional<String> string(String filter, String key) {
    return value(filter, key).filter(String.class::isInstance).map(String.class::cast);
  }

  public boolean isEmpty() {
    return filterMetadata.isEmpty();
  }
}
