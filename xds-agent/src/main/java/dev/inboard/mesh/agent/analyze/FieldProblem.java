package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A problem at one field of one document, before it is tied to a file and resource.
 *
 * @param field path from the document root, e.g. {@code spec.http[0].route[1].weight}, {@code spec.ports[80]}
 * @param value the offending value as written (scalars as text, objects as compact JSON), or empty
 * @param message what is wrong
 */
record FieldProblem(String field, String value, String message) {
  private static final int MAX_VALUE_LENGTH = 120;

  FieldProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(message, "message");
  }

  static FieldProblem at(String field, JsonNode value, String message) {
    return new FieldProblem(field, show(value), message);
  }

  /** A value as a problem shows it: scalars as written, {@code null}, objects and lists as (shortened) JSON. */
  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "";
    }
    String text = value.isValueNode() && !value.isNull() ? value.asText() : value.toString();
    StringBuilder shown = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        shown.append(String.format("\\u%04x", c));
      } else {
        shown.appendCodePoint(c);
      }
    });
    return shown.length() <= MAX_VALUE_LENGTH ? shown.toString()
        : shown.substring(0, MAX_VALUE_LENGTH - 3) + "...";
  }
}
