package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** A DestinationRule as istiod's validating webhook checks it beyond the CRD schema. */
final class DestinationRuleChecks {
  private DestinationRuleChecks() {}

  static void check(JsonNode spec, String namespace, Findings out) {
    JsonNode host = spec.path("host");
    if (host.isTextual()) {
      IstioFormats.wildcardDomainError(host.asText()).ifPresent(reason -> out.add("spec.host", host, reason));
    }
    TrafficPolicyChecks.check(spec.path("trafficPolicy"), "spec.trafficPolicy", out);
    Set<String> names = new HashSet<>();
    Findings.eachObject(spec, "subsets", "spec", (at, subset) -> {
      String name = text(subset, "name");
      if (!names.add(name)) {
        out.add(at + ".name", name, "duplicate subset name");
      }
      if (subset.path("name").isTextual()) {
        CommonChecks.subsetName(name, at + ".name", out);
      }
      CommonChecks.labels(subset.path("labels"), at + ".labels", out);
      TrafficPolicyChecks.check(subset.path("trafficPolicy"), at + ".trafficPolicy", out);
    });
    CommonChecks.exportTo(spec, namespace, false, out);
    JsonNode selector = spec.path("workloadSelector");
    if (selector.isObject()) {
      CommonChecks.labels(selector.path("matchLabels"), "spec.workloadSelector.matchLabels", out);
      JsonNode exportTo = spec.path("exportTo");
      for (int i = 0; i < exportTo.size(); i++) {
        String entry = exportTo.get(i).asText();
        if (!entry.equals(".") && !entry.equals(namespace)) {
          out.add("spec.exportTo[" + i + "]", entry,
              "a DestinationRule with a workloadSelector can only be exported to its own namespace");
        }
      }
    }
  }
}
