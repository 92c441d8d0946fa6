package dev.inboard.mesh.agent.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Labels written as {@code k=v,k2=v2}, as {@code kubectl} and {@code meshctl} take them. */
public final class Labels {
  private Labels() {}

  /**
   * Parses {@code app=reviews,version=v1}; blank gives no labels.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code key=value}
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text.isBlank()) {
      return labels;
    }
    for (String entry : text.split(",", -1)) {
      int eq = entry.indexOf('=');
      String key = eq < 0 ? "" : entry.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("labels must be key=value[,key=value...], got '" + entry + "' in '"
            + text + "'");
      }
      labels.put(key, entry.substring(eq + 1).trim());
    }
    return labels;
  }

  public static String format(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
