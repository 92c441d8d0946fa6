package dev.inboard.mesh.agent.authz;

import dev.inboard.mesh.agent.config.ConfigKind;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * AuthorizationPolicies read from YAML through the config loader, keeping only the policies the RBAC builder can
 * trust. fabric8 reads an action it does not know as {@code null}, which the builder would take as ALLOW; such a
 * policy is skipped with its reason instead.
 */
public final class AuthorizationPolicyYaml {
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
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.loadString(yaml, "policy", defaultNamespace);
    List<String> skipped = new ArrayList<>();
    for (ConfigProblem problem : loaded.problems()) {
      if (problem.message().startsWith("invalid YAML")) {
        throw new IllegalArgumentException("not YAML: " + problem.message());
      }
      if (problem.resource().startsWith(ConfigKind.AUTHORIZATION_POLICY.kind())) {
        skipped.add(problem.toString());
      }
    }
    Set<ConfigResource.Source> unknownAction = new HashSet<>();
    for (IstioYamlLoader.Document doc : loaded.documents()) {
      String action = doc.json().path("spec").path("action").asText("");
      if (doc.kind() == ConfigKind.AUTHORIZATION_POLICY && !action.isEmpty() && !ACTIONS.contains(action)) {
        unknownAction.add(doc.source());
        skipped.add(doc.source() + ": " + doc.displayName() + ": spec.action: unsupported action " + action);
      }
    }
    List<AuthzPolicy> policies = new ArrayList<>();
    for (ConfigResource<AuthorizationPolicy> r : loaded.toConfigSet().authorizationPolicies()) {
      if (!unknownAction.contains(r.source())) {
        policies.add(AuthzPolicy.of(r));
      }
    }
    return new Loaded(policies, skipped);
  }
}
