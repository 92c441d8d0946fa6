package dev.inboard.mesh.agent.authz;

import java.util.List;
import java.util.Objects;

/**
 * Mesh-wide inputs of the RBAC build.
 *
 * @param trustDomains the trust domain and its aliases, used to expand {@code principals}
 * @param extensionProviders mesh config extension providers CUSTOM policies may name; other kinds need not be listed
 * @param services resolves a provider's service to its cluster
 * @param useFilterState match the peer identity in the {@code io.istio.peer_principal} filter state (set by
 *     istio_authn) instead of the connection's certificate
 * @param multipleCustomProviders allow CUSTOM policies of different providers on one workload (each gets its own
 *     RBAC + ext_authz pair); when false, such a workload gets DENY filters for all its CUSTOM rules
 */
public record RbacSettings(TrustDomainBundle trustDomains, List<ExtensionProvider> extensionProviders,
    ServiceIndex services, boolean useFilterState, boolean multipleCustomProviders) {
  public RbacSettings {
    Objects.requireNonNull(trustDomains, "trustDomains");
    Objects.requireNonNull(services, "services");
    extensionProviders = List.copyOf(extensionProviders);
  }

  /** Trust domain {@code cluster.local}, no extension providers. */
  public static RbacSettings defaults() {
    return new RbacSettings(TrustDomainBundle.of(TrustDomainBundle.CLUSTER_LOCAL), List.of(), ServiceIndex.empty(),
        false, false);
  }

  public RbacSettings withTrustDomains(TrustDomainBundle bundle) {
    return new RbacSettings(bundle, extensionProviders, services, useFilterState, multipleCustomProviders);
  }

  public RbacSettings withExtensionProviders(List<ExtensionProvider> providers, ServiceIndex serviceIndex) {
    return new RbacSettings(trustDomains, providers, serviceIndex, useFilterState, multipleCustomProviders);
  }

  public RbacSettings withMultipleCustomProviders(boolean enabled) {
    return new RbacSettings(trustDomains, extensionProviders, services, useFilterState, enabled);
  }

  public RbacSettings withFilterState(boolean enabled) {
    return new RbacSettings(trustDomains, extensionProviders, services, enabled, multipleCustomProviders);
  }
}
