package dev.inboard.mesh.agent.authz;

import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicy;
import io.fabric8.istio.api.api.type.v1beta1.WorkloadSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which AuthorizationPolicies apply to a sidecar or proxyless workload: those of the root namespace (mesh-wide) and of
 * the workload's own namespace whose {@code selector.matchLabels} are all among the workload's labels (no selector
 * selects every workload). Policies with a {@code targetRef}/{@code targetRefs} are meant for gateways and waypoints
 * and never apply to such a workload. Root-namespace policies come first; each namespace keeps the given order.
 */
public record PolicySelector(String rootNamespace) {
  public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";

  public PolicySelector {
    if (rootNamespace.isEmpty()) {
      throw new IllegalArgumentException("root namespace must not be empty");
    }
  }

  public static PolicySelector withDefaultRoot() {
    return new PolicySelector(DEFAULT_ROOT_NAMESPACE);
  }

  public List<AuthzPolicy> select(List<AuthzPolicy> policies, String workloadNamespace, Map<String, String> labels) {
    List<AuthzPolicy> out = new ArrayList<>();
    addSelected(out, policies, rootNamespace, labels);
    if (!workloadNamespace.equals(rootNamespace)) {
      addSelected(out, policies, workloadNamespace, labels);
    }
    return List.copyOf(out);
  }

  private static void addSelected(List<AuthzPolicy> out, List<AuthzPolicy> policies, String namespace,
      Map<String, String> labels) {
    for (AuthzPolicy policy : policies) {
      if (policy.namespace().equals(namespace) && attaches(policy.spec(), labels)) {
        out.add(policy);
      }
    }
  }

  private static boolean attaches(AuthorizationPolicy spec, Map<String, String> labels) {
    boolean targeted = spec.getTargetRef() != null || (spec.getTargetRefs() != null && !spec.getTargetRefs().isEmpty());
    if (targeted) {
      return false;
    }
    WorkloadSelector selector = spec.getSelector();
    if (selector == null || selector.getMatchLabels() == null) {
      return true;
    }
    for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
      // A missing label reads as "" (so a selector asking for "" matches it).
      if (!String.valueOf(e.getValue()).equals(labels.getOrDefault(e.getKey(), ""))) {
        return false;
      }
    }
    return true;
  }
}
