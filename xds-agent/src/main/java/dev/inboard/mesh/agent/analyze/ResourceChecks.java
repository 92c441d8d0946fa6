package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.config.ConfigKind;
import dev.inboard.mesh.agent.config.IstioYamlLoader.Document;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks of istiod's validating webhook for one resource, by kind (what the CRD schema cannot express). */
final class ResourceChecks {
  private ResourceChecks() {}

  static List<FieldProblem> check(Document document) {
    JsonNode spec = document.json().path("spec");
    Findings out = new Findings();
    Map<String, String> annotations = annotations(document.json());
    if (annotations.containsKey(SecurityChecks.DRY_RUN) && document.kind() != ConfigKind.AUTHORIZATION_POLICY) {
      out.add("metadata.annotations[" + SecurityChecks.DRY_RUN + "]", annotations.get(SecurityChecks.DRY_RUN),
          "only AuthorizationPolicy supports the " + SecurityChecks.DRY_RUN + " annotation; remove it");
    }
    if (!spec.isObject()) {
      return out.problems();
    }
    switch (document.kind()) {
      case VIRTUAL_SERVICE -> VirtualServiceChecks.check(spec, document.namespace(), out);
      case DESTINATION_RULE -> DestinationRuleChecks.check(spec, document.namespace(), out);
      case SERVICE_ENTRY -> WorkloadChecks.serviceEntry(spec, document.namespace(), out);
      case WORKLOAD_ENTRY -> WorkloadChecks.workloadEntry(spec, out);
      case SIDECAR -> SidecarChecks.check(spec, out);
      case AUTHORIZATION_POLICY -> SecurityChecks.authorizationPolicy(spec, annotations, out);
      case REQUEST_AUTHENTICATION -> SecurityChecks.requestAuthentication(spec, out);
      case PEER_AUTHENTICATION -> SecurityChecks.peerAuthentication(spec, out);
      case KUBERNETES_SERVICE -> { }
    }
    return out.problems();
  }

  private static Map<String, String> annotations(JsonNode document) {
    Map<String, String> out = new LinkedHashMap<>();
    document.path("metadata").path("annotations").fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
