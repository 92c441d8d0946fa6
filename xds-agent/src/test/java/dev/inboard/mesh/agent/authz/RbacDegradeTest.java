package dev.inboard.mesh.agent.authz;

import static dev.inboard.mesh.agent.authz.RbacRuleShapesTest.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.authz.ExtensionProvider.EnvoyExtAuthzGrpc;
import dev.inboard.mesh.agent.authz.ExtensionProvider.EnvoyExtAuthzHttp;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policies and providers istiod cannot use as written: what it degrades them to, and the warning that says so. */
class RbacDegradeTest {
  static final String EXT_AUTHZ = "ext-authz.auth.svc.cluster.local";
  static final ServiceIndex SERVICES = ServiceIndex.empty().with(EXT_AUTHZ, "auth");

  static final String CUSTOM_OPA = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: ext, namespace: foo}
      spec:
        action: CUSTOM
        provider: {name: opa}
        rules:
        - to:
          - operation: {paths: ["/admin/*"]}
      """;

  private static RBAC httpRbac(HttpFilter filter) {
    assertThat(filter.getName()).isEqualTo("envoy.filters.http.rbac");
    return (RBAC) RbacProtos.unpack(filter.getTypedConfig());
  }

  @Test
  void custom_providerNotDefined_rulesDenyWithBadCustomSuffix() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load(CUSTOM_OPA), RbacSettings.defaults()
        .withExtensionProviders(List.of(EnvoyExtAuthzGrpc.of("other", "auth/" + EXT_AUTHZ, 9000)), SERVICES));

    assertThat(builder.buildHttp()).hasSize(1);
    RBAC rbac = httpRbac(builder.buildHttp().get(0));
    assertThat(rbac.hasShadowRules()).isFalse();
    assertThat(rbac.getRules().getAction()).isEqualTo(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.DENY);
    assertThat(rbac.getRules().getPoliciesMap())
        .containsOnlyKeys("istio-ext-authz-opa-ns[foo]-policy[ext]-rule[0]-deny-due-to-bad-CUSTOM-action");
    assertThat(builder.buildTcp()).extracting(Filter::getName).containsExactly("envoy.filters.network.rbac");
    assertThat(builder.warnings()).containsExactly("CUSTOM policies of provider \"opa\" deny every request they "
        + "match: extension provider \"opa\" is not defined; ext_authz providers are [other]");
  }

  @Test
  void custom_invalidProvider_deniesAndNamesEveryProblem() {
    EnvoyExtAuthzHttp broken = new EnvoyExtAuthzHttp("opa", "auth/ext-authz", 999999, java.util.Optional.empty(),
        false, "999", "check", List.of("*"), List.of(), java.util.Map.of(), java.util.Optional.empty(), List.of(),
        List.of(), List.of());
    RbacFilterBuilder builder = new RbacFilterBuilder(load(CUSTOM_OPA),
        RbacSettings.defaults().withExtensionProviders(List.of(broken), SERVICES));

    assertThat(httpRbac(builder.buildHttp().get(0)).getRules().getPoliciesMap())
        .containsOnlyKeys("istio-ext-authz-opa-ns[foo]-policy[ext]-rule[0]-deny-due-to-bad-CUSTOM-action");
    assertThat(builder.warnings()).containsExactly("CUSTOM policies of provider \"opa\" deny every request they "
        + "match: extension provider \"opa\" is invalid: port must be in [1, 65535], was 999999; "
        + "service auth/ext-authz (port 999999) is not in the service registry; "
        + "statusOnError 999 is not an HTTP status Envoy supports; pathPrefix must begin with \"/\", was \"check\"; "
        + "includeRequestHeadersInCheck: a single \"*\" is not supported, use a prefix (\"x-*\") or suffix (\"*-x\") "
        + "pattern");
  }

  @Test
  void custom_duplicateProviderName_isInvalid() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load(CUSTOM_OPA), RbacSettings.defaults().withExtensionProviders(
        List.of(EnvoyExtAuthzGrpc.of("opa", "auth/" + EXT_AUTHZ, 9000), EnvoyExtAuthzGrpc.of("opa", EXT_AUTHZ, 9001)),
        SERVICES));

    assertThat(builder.buildHttp()).hasSize(1);
    assertThat(builder.warnings()).singleElement().asString()
        .endsWith("extension provider \"opa\" is invalid: name must be unique, \"opa\" is defined more than once");
  }

  @Test
  void custom_serviceInSeveralNamespacesWithoutNamespace_isInvalid() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load(CUSTOM_OPA), RbacSettings.defaults().withExtensionProviders(
        List.of(EnvoyExtAuthzGrpc.of("opa", EXT_AUTHZ, 9000)), SERVICES.with(EXT_AUTHZ, "auth-canary")));

    assertThat(builder.warnings()).singleElement().asString().endsWith("extension provider \"opa\" is invalid: "
        + "service ext-authz.auth.svc.cluster.local is defined in namespaces [auth, auth-canary]; "
        + "name one as <namespace>/<hostname>");
  }

  @Test
  void custom_severalProvidersEnabled_eachGetsItsRbacAndExtAuthzPair_inProviderOrder() {
    String twoProviders = CUSTOM_OPA + """
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext2, namespace: foo}
        spec:
          action: CUSTOM
          provider: {name: authz-http}
          rules: [{}]
        """;
    RbacSettings settings = RbacSettings.defaults().withMultipleCustomProviders(true).withExtensionProviders(List.of(
        EnvoyExtAuthzGrpc.of("opa", "auth/" + EXT_AUTHZ, 9000),
        EnvoyExtAuthzHttp.of("authz-http", EXT_AUTHZ, 8000)), SERVICES);

    RbacFilterBuilder builder = new RbacFilterBuilder(load(twoProviders), settings);

    List<HttpFilter> http = builder.buildHttp();
    assertThat(http).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac",
        "envoy.filters.http.ext_authz", "envoy.filters.http.rbac", "envoy.filters.http.ext_authz");
    assertThat(httpRbac(http.get(0)).getShadowRules().getPoliciesMap())
        .containsOnlyKeys("istio-ext-authz-authz-http-ns[foo]-policy[ext2]-rule[0]");
    ExtAuthz first = (ExtAuthz) RbacProtos.unpack(http.get(1).getTypedConfig());
    assertThat(first.getFilterEnabledMetadata().getValue().getStringMatch().getPrefix())
        .isEqualTo("istio-ext-authz-authz-http");
    assertThat(first.getHttpService().getServerUri().getCluster())
        .isEqualTo("outbound|8000||ext-authz.auth.svc.cluster.local");
    assertThat(httpRbac(http.get(2)).getShadowRules().getPoliciesMap())
        .containsOnlyKeys("istio-ext-authz-opa-ns[foo]-policy[ext]-rule[0]");
    // Only the gRPC provider can check a TCP connection.
    assertThat(builder.buildTcp()).extracting(Filter::getName)
        .containsExactly("envoy.filters.network.rbac", "envoy.filters.network.ext_authz");
    assertThat(builder.warnings()).isEmpty();
  }

  @Test
  void custom_dryRun_notApplied_warns() {
    String dryRun = CUSTOM_OPA.replace("metadata: {name: ext, namespace: foo}",
        "metadata: {name: ext, namespace: foo, annotations: {\"istio.io/dry-run\": \"true\"}}");
    RbacFilterBuilder builder = new RbacFilterBuilder(load(dryRun), RbacSettings.defaults()
        .withExtensionProviders(List.of(EnvoyExtAuthzGrpc.of("opa", "auth/" + EXT_AUTHZ, 9000)), SERVICES));

    RBAC rbac = httpRbac(builder.buildHttp().get(0));
    assertThat(rbac.hasRules()).isFalse();
    assertThat(rbac.getShadowRules().getPoliciesMap()).isEmpty();
    assertThat(builder.warnings())
        .containsExactly("AuthorizationPolicy foo/ext: dry-run is not supported for CUSTOM policies; the policy is not applied");
  }

  @Test
  void unknownWhenKey_ruleSkipped_allowPolicyThenDeniesEverything() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: typo, namespace: foo}
        spec:
          rules:
          - when:
            - key: request.header[x-user]
              values: ["alice"]
        """), RbacSettings.defaults());

    RBAC rbac = httpRbac(builder.buildHttp().get(0));
    assertThat(rbac.hasRules()).isTrue();
    assertThat(rbac.getRules().getPoliciesMap()).isEmpty();
    assertThat(builder.warnings()).containsExactly("AuthorizationPolicy foo/typo: skipped invalid rule "
        + "ns[foo]-policy[typo]-rule[0]: unknown attribute request.header[x-user]");
  }

  @Test
  void invalidValue_allowRuleSkipped_denyRuleKeepsTheOtherValues_bothWarn() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-ips, namespace: foo}
        spec:
          rules:
          - from:
            - source: {ipBlocks: ["10.0.0.0/8", "10.0.0.300"]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-ips, namespace: foo}
        spec:
          action: DENY
          rules:
          - from:
            - source: {ipBlocks: ["10.0.0.0/8", "10.0.0.300"]}
        """), RbacSettings.defaults());

    List<HttpFilter> http = builder.buildHttp();
    assertThat(httpRbac(http.get(0)).getRules().getPoliciesOrThrow("ns[foo]-policy[deny-ips]-rule[0]"))
        .isEqualTo(RbacRuleShapesTest.policy("""
            {"permissions": [{"andRules": {"rules": [{"any": true}]}}],
             "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
               {"directRemoteIp": {"addressPrefix": "10.0.0.0", "prefixLen": 8}}]}}]}}]}
            """));
    assertThat(httpRbac(http.get(1)).getRules().getPoliciesMap()).isEmpty();
    assertThat(builder.warnings()).containsExactly(
        "AuthorizationPolicy foo/deny-ips: rule ns[foo]-policy[deny-ips]-rule[0] ignores a value: "
            + "invalid IP address \"10.0.0.300\"",
        "AuthorizationPolicy foo/allow-ips: skipped rule ns[foo]-policy[allow-ips]-rule[0]: "
            + "invalid IP address \"10.0.0.300\"");
  }

  @Test
  void dryRunDeny_goesToShadowRules_withDenyStatPrefix() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: trial-deny
          namespace: foo
          annotations: {"istio.io/dry-run": "True"}
        spec:
          action: DENY
          rules: [{}]
        """), RbacSettings.defaults());

    RBAC rbac = httpRbac(builder.buildHttp().get(0));
    assertThat(rbac.hasRules()).isFalse();
    assertThat(rbac.getShadowRules().getPoliciesMap()).containsOnlyKeys("ns[foo]-policy[trial-deny]-rule[0]");
    assertThat(rbac.getShadowRulesStatPrefix()).isEqualTo("istio_dry_run_deny_");
  }

  @Test
  void dryRunAnnotation_notABoolean_warnsAndEnforces() {
    RbacFilterBuilder builder = new RbacFilterBuilder(load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: maybe
          namespace: foo
          annotations: {"istio.io/dry-run": "yes"}
        spec:
          action: DENY
          rules: [{}]
        """), RbacSettings.defaults());

    RBAC rbac = httpRbac(builder.buildHttp().get(0));
    assertThat(rbac.getRules().getPoliciesMap()).containsOnlyKeys("ns[foo]-policy[maybe]-rule[0]");
    assertThat(rbac.hasShadowRules()).isFalse();
    assertThat(builder.warnings()).containsExactly(
        "AuthorizationPolicy foo/maybe: annotation istio.io/dry-run must be true or false, was \"yes\"; treated as false");
  }

  @Test
  void unknownAction_policySkippedByTheLoader_notReadAsAllow() {
    AuthorizationPolicyYaml.Loaded loaded = AuthorizationPolicyYaml.parse("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: future, namespace: foo}
        spec:
          action: REDIRECT
          rules: [{}]
        """, "default");

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.skipped()).containsExactly("policy: AuthorizationPolicy foo/future: spec.action: unsupported action REDIRECT");
  }
}
