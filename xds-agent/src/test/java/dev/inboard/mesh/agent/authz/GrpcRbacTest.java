package dev.inboard.mesh.agent.authz;

import static dev.inboard.mesh.agent.authz.RbacRuleShapesTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RBAC filters of a proxyless gRPC server's inbound listener. */
class GrpcRbacTest {

  @Test
  void forGrpc_denyAndAllow_denyFilterFirst_keysAreNamespaceNameRuleIndex() {
    List<AuthzPolicy> policies = load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: echo-allow, namespace: test}
        spec:
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/test/sa/client"]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: echo-deny, namespace: test}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {paths: ["/proto.EchoTestService/ForwardEcho"]}
          - when:
            - key: request.headers[echo]
              values: ["block"]
        """);

    List<HttpFilter> filters = RbacFilterBuilder.forGrpc(policies);

    RbacProtos.assertSameFilters(filters, List.of(
        RbacProtos.httpFilter("""
            {"name": "envoy.filters.http.rbac.DENY",
             "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
               "rules": {"action": "DENY", "policies": {
                 "test-echo-deny-0": {
                   "permissions": [{"andRules": {"rules": [{"orRules": {"rules": [
                     {"urlPath": {"path": {"exact": "/proto.EchoTestService/ForwardEcho"}}}]}}]}}],
                   "principals": [{"andIds": {"ids": [{"any": true}]}}]},
                 "test-echo-deny-1": {
                   "permissions": [{"andRules": {"rules": [{"any": true}]}}],
                   "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
                     {"header": {"name": "echo", "stringMatch": {"exact": "block"}}}]}}]}}]}}}}}
            """),
        RbacProtos.httpFilter("""
            {"name": "envoy.filters.http.rbac",
             "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
               "rules": {"policies": {
                 "test-echo-allow-0": {
                   "permissions": [{"andRules": {"rules": [{"any": true}]}}],
                   "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
                     {"authenticated": {"principalName": {"exact": "spiffe://cluster.local/ns/test/sa/client"}}}
                   ]}}]}}]}}}}}
            """)));
  }

  @Test
  void forGrpc_allowNothingSpec_emitsNoFilter_whereSidecarDeniesEverything() {
    List<AuthzPolicy> allowNothing = load("""
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: allow-nothing, namespace: default}
        spec: {}
        """);

    assertThat(RbacFilterBuilder.forGrpc(allowNothing)).isEmpty();
    assertThat(new RbacFilterBuilder(allowNothing, RbacSettings.defaults()).buildHttp())
        .extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac");
  }

  @Test
  void forGrpc_noPolicies_emitsNoFilter() {
    assertThat(RbacFilterBuilder.forGrpc(List.of())).isEmpty();
  }

  @Test
  void forGrpc_customAndAuditIgnored_dryRunEnforced_trustDomainAliasesNotApplied() {
    List<AuthzPolicy> policies = load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: audit, namespace: test}
        spec:
          action: AUDIT
          rules: [{}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext, namespace: test}
        spec:
          action: CUSTOM
          provider: {name: opa}
          rules: [{}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: trial
          namespace: test
          annotations: {"istio.io/dry-run": "true"}
        spec:
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/test/sa/client"]}
        """);

    List<HttpFilter> filters = RbacFilterBuilder.forGrpc(policies);

    RbacProtos.assertSameFilters(filters, List.of(RbacProtos.httpFilter("""
        {"name": "envoy.filters.http.rbac",
         "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
           "rules": {"policies": {
             "test-trial-0": {
               "permissions": [{"andRules": {"rules": [{"any": true}]}}],
               "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
                 {"authenticated": {"principalName": {"exact": "spiffe://cluster.local/ns/test/sa/client"}}}
               ]}}]}}]}}}}}
        """)));
  }

  @Test
  void forGrpc_allowRuleWithInvalidValue_becomesMatchNever_soTheServerStaysClosed() {
    List<AuthzPolicy> policies = load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: bad-port, namespace: test}
        spec:
          rules:
          - to:
            - operation: {ports: ["http"]}
        """);

    RbacProtos.assertSameFilters(RbacFilterBuilder.forGrpc(policies), List.of(RbacProtos.httpFilter("""
        {"name": "envoy.filters.http.rbac",
         "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
           "rules": {"policies": {
             "test-bad-port-0": {
               "permissions": [{"notRule": {"any": true}}],
               "principals": [{"notId": {"any": true}}]}}}}}
        """)));
  }
}
