package dev.inboard.mesh.agent.authz;

import static dev.inboard.mesh.agent.authz.RbacRuleShapesTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySelectorTest {
  static final List<AuthzPolicy> POLICIES = load("""
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: ns-wide, namespace: bookinfo}
      spec: {}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: mesh-wide, namespace: istio-system}
      spec: {action: DENY, rules: [{}]}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: reviews-only, namespace: bookinfo}
      spec:
        selector: {matchLabels: {app: reviews}}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: reviews-v2-from-root, namespace: istio-system}
      spec:
        selector: {matchLabels: {app: reviews, version: v2}}
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: for-waypoint, namespace: bookinfo}
      spec:
        targetRefs: [{kind: Service, group: "", name: reviews}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: elsewhere, namespace: other}
      spec: {}
      """);

  @Test
  void select_rootNamespaceFirst_selectorIsSubsetOfLabels_targetRefAndOtherNamespacesIgnored() {
    List<AuthzPolicy> selected = PolicySelector.withDefaultRoot()
        .select(POLICIES, "bookinfo", Map.of("app", "reviews", "version", "v2"));

    assertThat(selected).extracting(AuthzPolicy::name)
        .containsExactly("mesh-wide", "reviews-v2-from-root", "ns-wide", "reviews-only");
  }

  @Test
  void select_labelsMissingASelectorLabel_notSelected() {
    List<AuthzPolicy> selected = PolicySelector.withDefaultRoot()
        .select(POLICIES, "bookinfo", Map.of("app", "reviews", "version", "v1"));

    assertThat(selected).extracting(AuthzPolicy::name).containsExactly("mesh-wide", "ns-wide", "reviews-only");
  }

  @Test
  void select_workloadInRootNamespace_rootPoliciesOnce() {
    List<AuthzPolicy> selected = new PolicySelector("istio-system")
        .select(POLICIES, "istio-system", Map.of("app", "istiod"));

    assertThat(selected).extracting(AuthzPolicy::name).containsExactly("mesh-wide");
  }

  @Test
  void select_customRootNamespace_defaultRootIsOrdinary() {
    List<AuthzPolicy> selected = new PolicySelector("mesh-root").select(POLICIES, "bookinfo", Map.of("app", "ratings"));

    assertThat(selected).extracting(AuthzPolicy::name).containsExactly("ns-wide");
  }
}
