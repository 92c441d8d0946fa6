package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** AuthorizationPolicy, RequestAuthentication and PeerAuthentication problems, with exact messages. */
class SecurityAnalyzeTest {
  @Test
  void authorizationPolicy_unknownAction_isRejectedBySchema() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-all, namespace: foo}
        spec:
          action: REJECT
          rules: [{}]
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy foo/deny-all: spec.action: unsupported value; expected one of ALLOW, DENY, "
            + "AUDIT, CUSTOM (value: REJECT)");
  }

  @Test
  void authorizationPolicy_denyOrCustomWithoutRules_andProviderWithAllow_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-nothing}
        spec:
          action: DENY
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext-authz}
        spec:
          action: CUSTOM
          rules:
          - from:
            - source: {principals: [cluster.local/ns/default/sa/web]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-with-provider}
        spec:
          provider: {name: my-ext-authz}
          rules: [{}]
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy default/deny-nothing: spec.rules: a DENY policy without rules never triggers; "
            + "add an empty rule {} to deny every request",
        "test.yaml (document 2): AuthorizationPolicy default/ext-authz: spec.provider.name: a CUSTOM policy needs "
            + "provider.name",
        "test.yaml (document 2): AuthorizationPolicy default/ext-authz: spec.rules[0].from[0].source.principals: not "
            + "supported with action CUSTOM (value: [\"cluster.local/ns/default/sa/web\"])",
        "test.yaml (document 3): AuthorizationPolicy default/allow-with-provider: spec.provider: provider is only "
            + "allowed with action CUSTOM, found ALLOW (value: {\"name\":\"my-ext-authz\"})");
  }

  @Test
  void authorizationPolicy_conflictingSourceFields_areRejectedByCel() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: mixed}
        spec:
          rules:
          - from:
            - source: {serviceAccounts: [bar/sa], principals: [cluster.local/ns/bar/sa/sa]}
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy default/mixed: spec.rules[0].from[0].source: Cannot set serviceAccounts with "
            + "namespaces or principals (value: {\"serviceAccounts\":[\"bar/sa\"],\"principals\":"
            + "[\"cluster.local/ns/bar/sa/sa\"]})");
  }

  @Test
  void authorizationPolicy_badIpsPortsKeysAndEmptyParts_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: httpbin, namespace: foo}
        spec:
          selector:
            matchLabels: {app: httpbin}
          rules:
          - from:
            - source: {ipBlocks: ["10.0.0.0/33", "1.2.3"]}
            - source: {}
            to:
            - operation: {ports: ["8080", "http"], paths: ["/api/{**}/x/{*}"]}
            when:
            - key: request.header[x-token]
              values: ["abc"]
            - key: destination.port
              notValues: ["99999"]
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].from[0].source.ipBlocks[0]: not a valid CIDR block "
            + "(value: 10.0.0.0/33)",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].from[0].source.ipBlocks[1]: not a valid IP address "
            + "(value: 1.2.3)",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].from[1].source: source must not be empty (value: {})",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].to[0].operation.ports[1]: not a port number "
            + "(0..65535) (value: http)",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].to[0].operation.paths[0]: invalid path template: "
            + "{**} must be the last operator (value: /api/{**}/x/{*})",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].when[0].key: unknown condition key; see "
            + "istio.io/docs/reference/config/security/conditions (value: request.header[x-token])",
        "test.yaml: AuthorizationPolicy foo/httpbin: spec.rules[0].when[1].notValues[0]: not a port number (0..65535) "
            + "(value: 99999)");
  }

  @Test
  void authorizationPolicy_dryRunAnnotation_mustBeBooleanOnAllowOrDeny() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: trial
          annotations: {istio.io/dry-run: "yes"}
        spec:
          action: DENY
          rules: [{}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: audit
          annotations: {istio.io/dry-run: "true"}
        spec:
          action: AUDIT
          rules: [{}]
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy default/trial: metadata.annotations[istio.io/dry-run]: dry-run must be true or "
            + "false (value: yes)",
        "test.yaml (document 2): AuthorizationPolicy default/audit: metadata.annotations[istio.io/dry-run]: dry-run is "
            + "only supported for ALLOW and DENY policies, found AUDIT (value: true)");
  }

  @Test
  void authorizationPolicy_targetRefToUnsupportedKind_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: by-ref}
        spec:
          targetRefs:
          - {kind: Deployment, group: apps, name: web}
          rules: [{}]
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy default/by-ref: spec.targetRefs[0].kind: targetRef must point to a Service, a "
            + "ServiceEntry (networking.istio.io) or a Gateway (gateway.networking.k8s.io) (value: apps/Deployment)");
  }

  @Test
  void requestAuthentication_badJwks_missingIssuer_andProtobufTimeout_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: foo}
        spec:
          jwtRules:
          - issuer: https://issuer.example.com
            jwks: '{"kty": '
          - audiences: [web]
            timeout: 2m
        """)).containsExactly(
        "test.yaml: RequestAuthentication foo/jwt: spec.jwtRules[0].jwks: jwks is not JSON: Unexpected end-of-input "
            + "within/between Object entries (value: {\"kty\": )",
        "test.yaml: RequestAuthentication foo/jwt: spec.jwtRules[1].issuer: issuer must be set (it may only be omitted "
            + "when jwksUri is given)");
  }

  @Test
  void peerAuthentication_portLevelWithoutSelector_isRejectedByCel() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec:
          mtls: {mode: STRICT}
          portLevelMtls:
            "8080": {mode: PERMISSIVE}
        """)).containsExactly(
        "test.yaml: PeerAuthentication istio-system/default: spec: portLevelMtls requires selector (value: "
            + "{\"mtls\":{\"mode\":\"STRICT\"},\"portLevelMtls\":{\"8080\":{\"mode\":\"PERMISSIVE\"}}})");
  }
}
