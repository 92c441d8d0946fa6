package dev.inboard.mesh.agent.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicyAction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationPolicyYamlTest {

  @Test
  void parse_v1AndV1beta1_otherKindsIgnored_missingNamespaceDefaulted() {
    AuthorizationPolicyYaml.Loaded loaded = AuthorizationPolicyYaml.parse("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec: {hosts: [reviews]}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata:
          name: deny-post
          annotations: {"istio.io/dry-run": "true"}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {methods: [POST]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext, namespace: bookinfo}
        spec:
          action: CUSTOM
          provider: {name: opa}
          rules: [{}]
        """, "bookinfo");

    assertThat(loaded.skipped()).isEmpty();
    assertThat(loaded.policies()).hasSize(2);
    AuthzPolicy deny = loaded.policies().get(0);
    assertThat(deny.namespace()).isEqualTo("bookinfo");
    assertThat(deny.annotations()).isEqualTo(Map.of("istio.io/dry-run", "true"));
    assertThat(deny.action()).isEqualTo(AuthorizationPolicyAction.DENY);
    assertThat(deny.spec().getRules().get(0).getTo().get(0).getOperation().getMethods()).containsExactly("POST");
    AuthzPolicy ext = loaded.policies().get(1);
    assertThat(ext.action()).isEqualTo(AuthorizationPolicyAction.CUSTOM);
    assertThat(ext.providerName()).isEqualTo("opa");
  }

  @Test
  void parse_noAction_isAllow_noProvider_isEmptyName() {
    AuthzPolicy policy = AuthorizationPolicyYaml.parse("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-nothing, namespace: foo}
        spec: {}
        """, "default").policies().get(0);

    assertThat(policy.action()).isEqualTo(AuthorizationPolicyAction.ALLOW);
    assertThat(policy.providerName()).isEmpty();
  }

  @Test
  void parse_unknownApiVersionOrNoName_skippedWithReason() {
    AuthorizationPolicyYaml.Loaded loaded = AuthorizationPolicyYaml.parse("""
        apiVersion: security.istio.io/v2
        kind: AuthorizationPolicy
        metadata: {name: future, namespace: foo}
        spec: {}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {namespace: foo}
        spec: {}
        """, "default");

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.skipped()).containsExactly(
        "policy: AuthorizationPolicy foo/future: apiVersion: unsupported version of AuthorizationPolicy; use one"
            + " of [security.istio.io/v1, security.istio.io/v1beta1] (value: security.istio.io/v2)",
        "policy (document 2): AuthorizationPolicy foo/: metadata.name: missing");
  }

  @Test
  void parse_notYaml_rejected() {
    assertThatThrownBy(() -> AuthorizationPolicyYaml.parse("a: [b", "default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not YAML: ");
  }
}
