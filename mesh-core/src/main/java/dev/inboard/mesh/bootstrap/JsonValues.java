package dev.inboard.mesh.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * JSON-like trees of immutable Java values, the shape of a protobuf {@code Struct}: {@code String}, {@code Double}
 * (every number, so 15021 and 15021.0 compare equal), {@code Boolean}, {@code List} and {@code Map<String, ?>}. JSON
 * {@code null} is dropped, as Go's {@code omitempty} never writes it in node metadata.
 */
final class JsonValues {
  private JsonValues() {}

  /** The tree of a JSON value; empty for JSON null. */
  static Optional<Object> fromJson(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return Optional.of(node.textValue());
    }
    if (node.isNumber()) {
      return Optional.of(node.doubleValue());
    }
    if (node.isBoolean()) {
      return Optional.of(node.booleanValue());
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> fromJson(element).ifPresent(list::add));
      return Optional.of(List.copyOf(list));
    }
    return Optional.of(objectFromJson(node));
  }

  /** The entries of a JSON object, JSON nulls dropped. */
  static Map<String, Object> objectFromJson(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      fromJson(field.getValue()).ifPresent(value -> map.put(field.getKey(), value));
    }
    return Map.copyOf(map);
  }

  /**
   * An immutable copy of a metadata map with numbers as {@code Double}.
   *
   * @throws IllegalArgumentException naming the key of a value that is not a JSON-like value
   */
  static Map<String, Object> copyObject(Map<String, ? extends @Nullable Object> map, String path) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(key, copy(value, path + "[" + key + "]")));
    return Map.copyOf(copy);
  }

  private static Object copy(@Nullable Object value, String path) {
    if (value == null) {
      throw new IllegalArgumentException(path + " is null");
    }
    if (value instanceof String || value instanceof Boolean || value instanceof Double) {
      return value;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (key, element) -> {
            if (!(key instanceof String name)) {
              throw new IllegalArgumentException(path + " has a non-string key " + key);
            }
            copy.put(name, copy(element, path + "[" + name + "]"));
          });
      return Map.copyOf(copy);
    }
    if (value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>();
      int i = 0;
      for (Object element : collection) {
        copy.add(copy(element, path + "[" + i++ + "]"));
      }
      return List.copyOf(copy);
    }
    throw new IllegalArgumentException(
        path + " must be a string, number, boolean, list or map, was " + value.getClass().getName());
  }
}
