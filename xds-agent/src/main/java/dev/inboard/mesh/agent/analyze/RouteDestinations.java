package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.StringJoiner;

/**
 * The weighted destinations of an http, tcp or tls route: each destination well-formed, weights not negative and,
 * when traffic is split (more than one destination, or any weight written), adding up to 100.
 */
final class RouteDestinations {
  private RouteDestinations() {}

  static void check(JsonNode route, String path, boolean http, Findings out) {
    JsonNode destinations = route.path("route");
    if (!destinations.isArray()) {
      return;
    }
    long total = 0;
    boolean anyWeight = false;
    StringJoiner terms = new StringJoiner("+");
    for (int i = 0; i < destinations.size(); i++) {
      JsonNode weighted = destinations.get(i);
      String at = path + ".route[" + i + "]";
      if (!weighted.isObject()) {
        continue;
      }
      CommonChecks.destination(weighted.path("destination"), at + ".destination", out);
      if (http && weighted.path("headers").isObject()) {
        CommonChecks.headerOperations(weighted.path("headers"), at + ".headers", out);
      }
      JsonNode weight = weighted.path("weight");
      if (weight.isNumber()) {
        anyWeight = true;
        if (weight.asLong() < 0) {
          out.add(at + ".weight", weight, "weight cannot be negative");
        }
        total += weight.asLong();
        terms.add(weight.asText());
      } else {
        terms.add("0");
      }
    }
    if ((destinations.size() > 1 || anyWeight) && total != 100) {
      out.add(path + ".route", Long.toString(total), "weights must add up to 100, got " + total
          + (destinations.size() > 1 ? " (" + terms + ")" : ""));
    }
  }
}
