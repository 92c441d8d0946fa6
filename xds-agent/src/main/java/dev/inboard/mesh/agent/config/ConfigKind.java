package dev.inboard.mesh.agent.config;

import java.util.Optional;
import java.util.Set;

/**
 * The Istio kinds the local control plane applies, with the API versions it accepts and fabric8's spec class
 * (one spec model serves every version of a kind).
 */
public enum ConfigKind {
  VIRTUAL_SERVICE("networking.istio.io", "VirtualService",
      io.fabric8.istio.api.api.networking.v1alpha3.VirtualService.class, Set.of("v1", "v1beta1", "v1alpha3")),
  DESTINATION_RULE("networking.istio.io", "DestinationRule",
      io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule.class, Set.of("v1", "v1beta1", "v1alpha3")),
  SERVICE_ENTRY("networking.istio.io", "ServiceEntry",
      io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntry.class, Set.of("v1", "v1beta1", "v1alpha3")),
  WORKLOAD_ENTRY("networking.istio.io", "WorkloadEntry",
      io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry.class, Set.of("v1", "v1beta1", "v1alpha3")),
  SIDECAR("networking.istio.io", "Sidecar",
      io.fabric8.istio.api.api.networking.v1alpha3.Sidecar.class, Set.of("v1", "v1beta1", "v1alpha3")),
  PEER_AUTHENTICATION("security.istio.io", "PeerAuthentication",
      io.fabric8.istio.api.api.security.v1beta1.PeerAuthentication.class, Set.of("v1", "v1beta1")),
  AUTHORIZATION_POLICY("security.istio.io", "AuthorizationPolicy",
      io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicy.class, Set.of("v1", "v1beta1")),
  REQUEST_AUTHENTICATION("security.istio.io", "RequestAuthentication",
      io.fabric8.istio.api.api.security.v1beta1.RequestAuthentication.class, Set.of("v1", "v1beta1")),
  /**
   * A Kubernetes {@code Service} (core group): on one machine it plays the part the Kubernetes registry plays for
   * istiod, so Bookinfo's own YAML declares its services. Endpoints come from workloads whose labels match.
   */
  KUBERNETES_SERVICE("", "Service", io.fabric8.kubernetes.api.model.ServiceSpec.class, Set.of("v1"));

  /** Istio kinds that are valid but mean nothing to a proxyless workload; loading them is not an error. */
  public static final Set<String> NOT_APPLIED = Set.of("Gateway", "EnvoyFilter", "Telemetry", "ProxyConfig",
      "WasmPlugin", "WorkloadGroup", "TrafficExtension");

  private final String group;
  private final String kind;
  private final Class<?> specClass;
  private final Set<String> versions;

  ConfigKind(String group, String kind, Class<?> specClass, Set<String> versions) {
    this.group = group;
    this.kind = kind;
    this.specClass = specClass;
    this.versions = versions;
  }

  public String group() {
    return group;
  }

  public String kind() {
    return kind;
  }

  public Class<?> specClass() {
    return specClass;
  }

  public Set<String> versions() {
    return versions;
  }

  /** The kind named by a document's {@code apiVersion} group and {@code kind}, whatever the version. */
  public static Optional<ConfigKind> of(String group, String kind) {
    for (ConfigKind k : values()) {
      if (k.group.equals(group) && k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return kind;
  }
}
