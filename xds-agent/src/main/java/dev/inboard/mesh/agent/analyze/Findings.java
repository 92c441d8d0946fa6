package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The problems of one document as checks find them, with small helpers to read JSON defensively. */
final class Findings {
  private final List<FieldProblem> problems = new ArrayList<>();

  void add(String field, JsonNode value, String message) {
    problems.add(FieldProblem.at(field, value, message));
  }

  void add(String field, String value, String message) {
    problems.add(new FieldProblem(field, value, message));
  }

  List<FieldProblem> problems() {
    return List.copyOf(problems);
  }

  /** {@code node.field} as text, or empty when absent or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : "";
  }

  /** Whether {@code node.field} is present and not null. */
  static boolean has(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** Whether {@code node.field} is a non-empty list or map. */
  static boolean nonEmpty(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return (value.isArray() || value.isObject()) && !value.isEmpty();
  }

  /** Calls {@code each} with {@code path[i]} and the element, for every object element of a list field. */
  static void eachObject(JsonNode node, String field, String path, BiConsumer<String, JsonNode> each) {
    JsonNode list = node.path(field);
    if (!list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).isObject()) {
        each.accept(path + "." + field + "[" + i + "]", list.get(i));
      }
    }
  }

  /** Calls {@code each} with {@code path[i]} and the text, for every string element of a list field. */
  static void eachText(JsonNode node, String field, String path, BiConsumer<String, String> each) {
    JsonNode list = node.path(field);
    if (!list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).isTextual()) {
        each.accept(path + "." + field + "[" + i + "]", list.get(i).asText());
      }
    }
  }

  /** Calls {@code each} with {@code path[key]}, the key and the value, for every entry of a map field. */
  static void eachEntry(JsonNode node, String field, String path, EntryConsumer each) {
    JsonNode map = node.path(field);
    if (!map.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      each.accept(path + "." + field + "[" + e.getKey() + "]", e.getKey(), e.getValue());
    }
  }

  /** Receives one map entry with its path. */
  @FunctionalInterface
  interface EntryConsumer {
    void accept(String path, String key, JsonNode value);
  }
}
