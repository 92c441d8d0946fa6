package dev.inboard.mesh.agent.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustDomainBundleTest {
  static final TrustDomainBundle BUNDLE = TrustDomainBundle.of("new-td", List.of("old-td", "legacy.example"));

  @Test
  void expand_clusterLocalOrOwnDomain_oneEntryPerTrustDomain() {
    assertThat(BUNDLE.expand(List.of("cluster.local/ns/foo/sa/bar", "old-td/ns/foo/sa/baz"))).containsExactly(
        "new-td/ns/foo/sa/bar", "old-td/ns/foo/sa/bar", "legacy.example/ns/foo/sa/bar",
        "new-td/ns/foo/sa/baz", "old-td/ns/foo/sa/baz", "legacy.example/ns/foo/sa/baz");
  }

  @Test
  void expand_wildcardForeignOrNotSpiffeShaped_keptAsWritten() {
    assertThat(BUNDLE.expand(List.of("*/ns/foo/sa/bar", "other-td/ns/foo/sa/bar", "*", "sa/bar", "prefix-*")))
        .containsExactly("*/ns/foo/sa/bar", "other-td/ns/foo/sa/bar", "*", "sa/bar", "prefix-*");
  }

  @Test
  void expand_suffixPatternTrustDomain_keptForDomainsItCovers_rewrittenForOthers() {
    assertThat(BUNDLE.expand(List.of("*-td/ns/foo/sa/bar")))
        .containsExactly("*-td/ns/foo/sa/bar", "legacy.example/ns/foo/sa/bar");
  }

  @Test
  void expand_singleTrustDomain_clusterLocalRewrittenToIt() {
    assertThat(TrustDomainBundle.of("example.org").expand(List.of("cluster.local/ns/foo/sa/bar")))
        .containsExactly("example.org/ns/foo/sa/bar");
  }

  @Test
  void sidecar_principalsExpanded_grpcNot() {
    List<AuthzPolicy> policies = RbacRuleShapesTest.load("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: from-bar, namespace: foo}
        spec:
          rules:
          - from:
            - source: {principals: ["cluster.local/ns/foo/sa/bar"]}
        """);
    RbacSettings settings = RbacSettings.defaults().withTrustDomains(TrustDomainBundle.of("td1", List.of("td2")));

    var rbac = (io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC)
        RbacProtos.unpack(new RbacFilterBuilder(policies, settings).buildHttp().get(0).getTypedConfig());
    var ids = rbac.getRules().getPoliciesOrThrow("ns[foo]-policy[from-bar]-rule[0]")
        .getPrincipals(0).getAndIds().getIds(0).getOrIds().getIdsList();
    assertThat(ids).extracting(id -> id.getAuthenticated().getPrincipalName().getExact())
        .containsExactly("spiffe://td1/ns/foo/sa/bar", "spiffe://td2/ns/foo/sa/bar");
  }

  @Test
  void create_emptyTrustDomain_rejected() {
    assertThatThrownBy(() -> TrustDomainBundle.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the trust domain must not be empty, was []");
  }
}
