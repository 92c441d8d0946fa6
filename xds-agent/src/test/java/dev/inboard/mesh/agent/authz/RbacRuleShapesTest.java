package dev.inboard.mesh.agent.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact RBAC shapes for the policy fields whose mapping is easy to get subtly wrong. */
class RbacRuleShapesTest {

  static List<AuthzPolicy> load(String yaml) {
    AuthorizationPolicyYaml.Loaded loaded = AuthorizationPolicyYaml.parse(yaml, "default");
    assertThat(loaded.skipped()).isEmpty();
    return loaded.policies();
  }

  /** The enforced rules of the single RBAC filter built for {@code yaml}'s policies. */
  static RBAC rules(String yaml) {
    RbacFilterBuilder builder = new RbacFilterBuilder(load(yaml), RbacSettings.defaults());
    assertThat(builder.buildHttp()).hasSize(1);
    var rbac = (io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC)
        RbacProtos.unpack(builder.buildHttp().get(0).getTypedConfig());
    return rbac.getRules();
  }

  static Policy policy(String json) {
    return RbacProtos.fromYaml(json, Policy.newBuilder()).build();
  }

  private static final String ANY_PERMISSION = """
      "permissions": [{"andRules": {"rules": [{"any": true}]}}]""";
  private static final String ANY_PRINCIPAL = """
      "principals": [{"andIds": {"ids": [{"any": true}]}}]""";

  @Test
  void serviceAccounts_bareNameUsesPolicyNamespace_namesAreQuoted() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: reviews-callers, namespace: bookinfo}
        spec:
          rules:
          - from:
            - source:
                serviceAccounts: ["bookinfo-productpage", "tools/sleep.v1"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[bookinfo]-policy[reviews-callers]-rule[0]")).isEqualTo(policy("""
        {%s,
         "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
           {"authenticated": {"principalName": {"safeRegex": {
             "regex": "spiffe://.+/ns/bookinfo/(.+/|)sa/bookinfo-productpage(/.+)?"}}}},
           {"authenticated": {"principalName": {"safeRegex": {
             "regex": "spiffe://.+/ns/tools/(.+/|)sa/sleep\\\\.v1(/.+)?"}}}}
         ]}}]}}]}
        """.formatted(ANY_PERMISSION)));
  }

  @Test
  void namespaces_wildcardsBecomeDotStar_restOfNameLiteral_notNamespacesNegated() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: from-prod, namespace: foo}
        spec:
          rules:
          - from:
            - source:
                namespaces: ["prod-*", "*.legacy", "*"]
                notNamespaces: ["prod-canary"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[from-prod]-rule[0]")).isEqualTo(policy("""
        {%s,
         "principals": [{"andIds": {"ids": [
           {"orIds": {"ids": [
             {"authenticated": {"principalName": {"safeRegex": {"regex": ".*/ns/prod-.*/.*"}}}},
             {"authenticated": {"principalName": {"safeRegex": {"regex": ".*/ns/.*\\\\.legacy/.*"}}}},
             {"authenticated": {"principalName": {"safeRegex": {"regex": ".*/ns/.*/.*"}}}}]}},
           {"notId": {"orIds": {"ids": [
             {"authenticated": {"principalName": {"safeRegex": {"regex": ".*/ns/prod-canary/.*"}}}}]}}}
         ]}}]}
        """.formatted(ANY_PERMISSION)));
  }

  @Test
  void paths_wildcardIsRegexDotPlus_templatesBecomeUriTemplateExtension() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: paths, namespace: foo}
        spec:
          rules:
          - to:
            - operation:
                paths: ["*", "/api/{*}/items", "/static/{**}", "/health", "/v1/*", "*.css"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[paths]-rule[0]")).isEqualTo(policy("""
        {"permissions": [{"andRules": {"rules": [{"orRules": {"rules": [
           {"urlPath": {"path": {"safeRegex": {"regex": ".+"}}}},
           {"uriTemplate": {"name": "uri-template", "typedConfig": {
             "@type": "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig",
             "pathTemplate": "/api/*/items"}}},
           {"uriTemplate": {"name": "uri-template", "typedConfig": {
             "@type": "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig",
             "pathTemplate": "/static/**"}}},
           {"urlPath": {"path": {"exact": "/health"}}},
           {"urlPath": {"path": {"prefix": "/v1/"}}},
           {"urlPath": {"path": {"suffix": ".css"}}}
         ]}}]}}],
         %s}
        """.formatted(ANY_PRINCIPAL)));
  }

  @Test
  void ipBlocks_bareAddressIsHostPrefix_cidrKeptUnmasked_ipv6Canonical() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ips, namespace: foo}
        spec:
          rules:
          - from:
            - source:
                ipBlocks: ["10.0.0.1", "10.1.2.3/16", "2001:DB8:0:0::1", "2001:db8::/32"]
                remoteIpBlocks: ["::ffff:192.0.2.1"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[ips]-rule[0]")).isEqualTo(policy("""
        {%s,
         "principals": [{"andIds": {"ids": [
           {"orIds": {"ids": [{"remoteIp": {"addressPrefix": "::ffff:192.0.2.1", "prefixLen": 128}}]}},
           {"orIds": {"ids": [
             {"directRemoteIp": {"addressPrefix": "10.0.0.1", "prefixLen": 32}},
             {"directRemoteIp": {"addressPrefix": "10.1.2.3", "prefixLen": 16}},
             {"directRemoteIp": {"addressPrefix": "2001:db8::1", "prefixLen": 128}},
             {"directRemoteIp": {"addressPrefix": "2001:db8::", "prefixLen": 32}}]}}
         ]}}]}
        """.formatted(ANY_PERMISSION)));
  }

  @Test
  void requestPrincipals_splitAtLastSlash_singleValueIsNotWrappedInOr() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: jwt, namespace: foo}
        spec:
          rules:
          - from:
            - source:
                requestPrincipals: ["https://accounts.example.com/realms/a/alice"]
                notRequestPrincipals: ["*"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[jwt]-rule[0]")).isEqualTo(policy("""
        {%s,
         "principals": [{"andIds": {"ids": [
           {"andIds": {"ids": [
             {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "iss"}],
               "value": {"stringMatch": {"exact": "https://accounts.example.com/realms/a"}}}},
             {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "sub"}],
               "value": {"stringMatch": {"exact": "alice"}}}}]}},
           {"notId": {"andIds": {"ids": [
             {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "iss"}],
               "value": {"stringMatch": {"safeRegex": {"regex": ".+"}}}}},
             {"metadata": {"filter": "envoy.filters.http.jwt_authn", "path": [{"key": "payload"}, {"key": "sub"}],
               "value": {"stringMatch": {"safeRegex": {"regex": ".+"}}}}}]}}}
         ]}}]}
        """.formatted(ANY_PERMISSION)));
  }

  @Test
  void when_destinationKeysJoinEveryPermission_sourceAndRequestKeysJoinEveryPrincipal_notValuesNegated() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: mixed, namespace: foo}
        spec:
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/foo/sa/a"]}
            to:
            - operation: {methods: ["GET"]}
            - operation: {hosts: ["*.example.com"]}
            when:
            - key: request.headers[x-env]
              notValues: ["canary*"]
            - key: destination.port
              values: ["8080"]
            - key: connection.sni
              values: ["*"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[mixed]-rule[0]")).isEqualTo(policy("""
        {"permissions": [
           {"andRules": {"rules": [
             {"orRules": {"rules": [{"header": {"name": ":method", "stringMatch": {"exact": "GET"}}}]}},
             {"orRules": {"rules": [{"destinationPort": 8080}]}},
             {"orRules": {"rules": [{"requestedServerName": {"safeRegex": {"regex": ".+"}}}]}}]}},
           {"andRules": {"rules": [
             {"orRules": {"rules": [{"header": {"name": ":authority",
               "stringMatch": {"suffix": ".example.com", "ignoreCase": true}}}]}},
             {"orRules": {"rules": [{"destinationPort": 8080}]}},
             {"orRules": {"rules": [{"requestedServerName": {"safeRegex": {"regex": ".+"}}}]}}]}}],
         "principals": [{"andIds": {"ids": [
           {"orIds": {"ids": [{"authenticated": {"principalName": {"exact": "spiffe://cluster.local/ns/foo/sa/a"}}}]}},
           {"notId": {"orIds": {"ids": [{"header": {"name": "x-env", "stringMatch": {"prefix": "canary"}}}]}}}
         ]}}]}
        """));
  }

  @Test
  void claimsAndInlineHeaders_nestedClaimPathListAware_inlineHeaderMatchesListElements() {
    RBAC rules = rules("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: claims, namespace: foo}
        spec:
          rules:
          - when:
            - key: request.auth.claims[realm_access][roles]
              values: ["admin"]
            - key: request.experimental.inline.headers[x-tags]
              values: ["a.b"]
        """);

    assertThat(rules.getPoliciesOrThrow("ns[foo]-policy[claims]-rule[0]")).isEqualTo(policy("""
        {%s,
         "principals": [{"andIds": {"ids": [
           {"metadata": {"filter": "envoy.filters.http.jwt_authn",
             "path": [{"key": "payload"}, {"key": "realm_access"}, {"key": "roles"}],
             "value": {"orMatch": {"valueMatchers": [
               {"listMatch": {"oneOf": {"stringMatch": {"exact": "admin"}}}},
               {"stringMatch": {"exact": "admin"}}]}}}},
           {"orIds": {"ids": [{"header": {"name": "x-tags", "safeRegexMatch": {
             "regex": "^a\\\\.b$|^a\\\\.b,.*|.*,a\\\\.b,.*|.*,a\\\\.b$"}}}]}}
         ]}}]}
        """.formatted(ANY_PERMISSION)));
  }
}
