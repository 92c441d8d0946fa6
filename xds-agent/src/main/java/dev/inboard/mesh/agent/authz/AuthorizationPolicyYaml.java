package dev.inboard.mesh.agent.authz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads AuthorizationPolicies ({@code security.istio.io/v1} or {@code v1beta1}) from multi-document YAML. Documents of
 * other kinds are skipped silently; an AuthorizationPolicy that cannot be used is skipped with a reason, as istiod
 * ignores a policy whose action it does not know (the spec model would otherwise read it as ALLOW).
 */
public final class AuthorizationPolicyYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> ACTIONS = Set.of("ALLOW", "DENY", "AUDIT", "CUSTOM");

  /** The usable policies, in document order, and one line per skipped AuthorizationPolicy. */
  public record Loaded(List<AuthzPolicy> policies, List<String> skipped) {
    public Loaded {
      policies = List.copyOf(policies);
      skipped = List.copyOf(skipped);
    }
  }

  private AuthorizationPolicyYaml() {}

  /**
   * @param defaultNamespace the namespace of policies whose metadata has none
   * @throws IllegalArgumentException when the text is not YAML
   */
  public static Loaded parse(String yaml, String defaultNamespace) {
    List<AuthzPolicy> policies = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      int index = 0;
      while (documents.hasNextValue()) {
        JsonNode doc = documents.nextValue();
        int at = index++;
        if (doc == null || !doc.isObject() || !"AuthorizationPolicy".equals(doc.path("kind").asText())) {
          continue;
        }
        String where = "document " + at + " (AuthorizationPolicy " + doc.path("metadata").path("name").asText("?") + ")";
        String apiVersion = doc.path("apiVersion").asText();
        JsonNode action = doc.path("spec").path("action");
        if (!action.isMissingNode() && !action.isNull() && !ACTIONS.contains(action.asText())) {
          skipped.add(where + ": unsupported action " + action.asText());
          continue;
        }
        try {
          AuthzPolicy policy = switch (apiVersion) {
            case "security.istio.io/v1" -> AuthzPolicy.of(
                withNamespace(YAML.treeToValue(doc, io.fabric8.istio.api.security.v1.AuthorizationPolicy.class),
                    defaultNamespace));
            case "security.istio.io/v1beta1" -> AuthzPolicy.of(
                withNamespace(YAML.treeToValue(doc, io.fabric8.istio.api.security.v1beta1.AuthorizationPolicy.class),
                    defaultNamespace));
            default -> null;
          };
          if (policy == null) {
            skipped.add(where + ": unsupported apiVersion " + apiVersion);
          } else {
            policies.add(policy);
          }
        } catch (JsonProcessingException | IllegalArgumentException e) {
          skipped.add(where + ": " + firstLine(e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not YAML: " + firstLine(e.getMessage()), e);
    }
    return new Loaded(policies, skipped);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T withNamespace(T resource,
      String defaultNamespace) {
    if (resource.getMetadata() == null) {
      throw new IllegalArgumentException("metadata is missing");
    }
    if (resource.getMetadata().getNamespace() == null || resource.getMetadata().getNamespace().isEmpty()) {
      resource.getMetadata().setNamespace(defaultNamespace);
    }
    if (resource.getMetadata().getName() == null || resource.getMetadata().getName().isEmpty()) {
      throw new IllegalArgumentException("metadata.name is missing");
    }
    return resource;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
