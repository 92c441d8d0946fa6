package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as CEL sees it under a structural schema, the way the Kubernetes API server binds {@code self}:
 * objects become maps of their declared properties (unknown fields are pruned, unset and null fields are absent),
 * {@code integer} becomes {@code long}, {@code number} becomes {@code double}, int-or-string stays what it is.
 */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode schema, JsonNode value) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return value.isNumber() ? (Object) value.asLong() : value.asText();
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "integer":
        return value.asLong();
      case "number":
        return value.asDouble();
      case "string":
        return value.asText();
      case "boolean":
        return value.asBoolean();
      case "array":
        List<Object> list = new ArrayList<>();
        for (JsonNode item : value) {
          if (!item.isNull()) {
            list.add(of(schema.path("items"), item));
          }
        }
        return list;
      case "object":
        return object(schema, value);
      default:
        return untyped(value);
    }
  }

  private static Object object(JsonNode schema, JsonNode value) {
    Map<String, Object> map = new LinkedHashMap<>();
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        continue;
      }
      JsonNode propertySchema = properties.path(field.getKey());
      if (propertySchema.isObject()) {
        map.put(field.getKey(), of(propertySchema, field.getValue()));
      } else if (additional.isObject()) {
        map.put(field.getKey(), of(additional, field.getValue()));
      } else if (preserve || additional.asBoolean(false)) {
        map.put(field.getKey(), untyped(field.getValue()));
      }
    }
    return map;
  }

  private static Object untyped(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), untyped(e.getValue()));
        }
      });
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> {
        if (!item.isNull()) {
          list.add(untyped(item));
        }
      });
      return list;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }
}
