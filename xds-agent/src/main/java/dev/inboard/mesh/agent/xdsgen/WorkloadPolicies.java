package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.PeerAuthentications;
import dev.inboard.mesh.agent.authn.RequestAuthentications;
import dev.inboard.mesh.agent.authz.AuthzPolicy;
import dev.inboard.mesh.agent.authz.PolicySelector;
import dev.inboard.mesh.agent.authz.RbacFilterBuilder;
import dev.inboard.mesh.agent.authz.RbacSettings;
import dev.inboard.mesh.agent.authz.TrustDomainBundle;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The security policy that applies to a proxy's inbound traffic: its PeerAuthentication modes and the HTTP filters
 * that enforce RequestAuthentication and AuthorizationPolicy, in istiod's order (CUSTOM authorization, then JWT,
 * then AUDIT/DENY/ALLOW RBAC).
 */
record WorkloadPolicies(PeerAuthentications mtls, List<HttpFilter> sidecarFilters, List<HttpFilter> grpcFilters) {

  static WorkloadPolicies of(ProxyView proxy, PushContext push) {
    String root = push.mesh().rootNamespace();
    PeerAuthentications mtls =
        PeerAuthentications.forWorkload(push.config(), proxy.namespace(), proxy.labels(), root);
    List<AuthzPolicy> all = push.config().authorizationPolicies().stream().map(AuthzPolicy::of).toList();
    List<AuthzPolicy> selected = new PolicySelector(root).select(all, proxy.namespace(), proxy.labels());
    RbacFilterBuilder rbac = new RbacFilterBuilder(selected, RbacSettings.defaults()
        .withTrustDomains(TrustDomainBundle.of(push.mesh().trustDomain(), List.of())));
    List<HttpFilter> sidecar = new ArrayList<>(rbac.buildHttpCustom());
    RequestAuthentications.filter(
        RequestAuthentications.rulesFor(push.config(), proxy.namespace(), proxy.labels(), root))
        .ifPresent(sidecar::add);
    sidecar.addAll(rbac.buildHttpRbac());
    return new WorkloadPolicies(mtls, sidecar, RbacFilterBuilder.forGrpc(selected));
  }
}
