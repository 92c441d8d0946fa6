package dev.inboard.bookinfo.common;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON text as Python's {@code json.dumps} writes it by default, which productpage's API answers with:
 * {@code ", "} and {@code ": "} as separators, non-ASCII characters escaped as {@code \\uXXXX}.
 */
public final class PythonJson {
  private PythonJson() {}

  /** {@code node} as json.dumps would write the value Python parsed from it. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  /** A JSON object of string members, in map order. */
  public static String object(Map<String, String> members) {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : members.entrySet()) {
      out.append(first ? "" : ", ");
      first = false;
      string(e.getKey(), out);
      out.append(": ");
      string(e.getValue(), out);
    }
    return out.append('}').toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.append(first ? "" : ", ");
        first = false;
        string(e.getKey(), out);
        out.append(": ");
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isString()) {
      string(node.asString(), out);
    } else if (node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else {
      out.append(node.toString());
    }
  }

  /** A JSON string literal with json.dumps' escaping (ensure_ascii). */
  public static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
