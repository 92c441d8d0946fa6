package dev.inboard.mesh.agent.config;

import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntry;
import io.fabric8.istio.api.api.networking.v1alpha3.Sidecar;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import io.fabric8.istio.api.api.security.v1beta1.AuthorizationPolicy;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthentication;
import io.fabric8.istio.api.api.security.v1beta1.RequestAuthentication;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of Istio resources, one per {@code Kind/namespace/name}, ordered by kind, namespace and name
 * (the order istiod uses to break ties between resources of equal age).
 */
public final class ConfigSet {
  public static final ConfigSet EMPTY = new ConfigSet(Map.of());

  private static final Comparator<ConfigResource<?>> ORDER = Comparator
      .comparing((ConfigResource<?> r) -> r.kind().ordinal())
      .thenComparing(ConfigResource::namespace)
      .thenComparing(ConfigResource::name);

  private final Map<String, ConfigResource<?>> byKey;

  private ConfigSet(Map<String, ConfigResource<?>> byKey) {
    this.byKey = byKey;
  }

  /** A set of {@code resources}; a later resource with the same key replaces an earlier one. */
  public static ConfigSet of(Collection<? extends ConfigResource<?>> resources) {
    return EMPTY.withApplied(resources);
  }

  public List<ConfigResource<?>> all() {
    return List.copyOf(byKey.values());
  }

  public int size() {
    return byKey.size();
  }

  public Optional<ConfigResource<?>> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Resources of one kind, typed by the caller's choice of spec class. */
  @SuppressWarnings("unchecked")
  public <S> List<ConfigResource<S>> ofKind(ConfigKind kind, Class<S> specClass) {
    if (!kind.specClass().equals(specClass)) {
      throw new IllegalArgumentException(kind + " specs are " + kind.specClass().getName() + ", not " + specClass);
    }
    List<ConfigResource<S>> out = new ArrayList<>();
    for (ConfigResource<?> r : byKey.values()) {
      if (r.kind() == kind) {
        out.add((ConfigResource<S>) r);
      }
    }
    return out;
  }

  public List<ConfigResource<VirtualService>> virtualServices() {
    return ofKind(ConfigKind.VIRTUAL_SERVICE, VirtualService.class);
  }

  public List<ConfigResource<DestinationRule>> destinationRules() {
    return ofKind(ConfigKind.DESTINATION_RULE, DestinationRule.class);
  }

  public List<ConfigResource<ServiceEntry>> serviceEntries() {
    return ofKind(ConfigKind.SERVICE_ENTRY, ServiceEntry.class);
  }

  public List<ConfigResource<WorkloadEntry>> workloadEntries() {
    return ofKind(ConfigKind.WORKLOAD_ENTRY, WorkloadEntry.class);
  }

  public List<ConfigResource<Sidecar>> sidecars() {
    return ofKind(ConfigKind.SIDECAR, Sidecar.class);
  }

  public List<ConfigResource<PeerAuthentication>> peerAuthentications() {
    return ofKind(ConfigKind.PEER_AUTHENTICATION, PeerAuthentication.class);
  }

  public List<ConfigResource<AuthorizationPolicy>> authorizationPolicies() {
    return ofKind(ConfigKind.AUTHORIZATION_POLICY, AuthorizationPolicy.class);
  }

  public List<ConfigResource<RequestAuthentication>> requestAuthentications() {
    return ofKind(ConfigKind.REQUEST_AUTHENTICATION, RequestAuthentication.class);
  }

  public List<ConfigResource<io.fabric8.kubernetes.api.model.ServiceSpec>> kubernetesServices() {
    return ofKind(ConfigKind.KUBERNETES_SERVICE, io.fabric8.kubernetes.api.model.ServiceSpec.class);
  }

  /** This set with {@code resources} added or replacing those with the same key. */
  public ConfigSet withApplied(Collection<? extends ConfigResource<?>> resources) {
    List<ConfigResource<?>> merged = new ArrayList<>(byKey.values());
    Map<String, ConfigResource<?>> map = new LinkedHashMap<>(byKey);
    for (ConfigResource<?> r : resources) {
      map.put(r.key(), r);
    }
    merged.clear();
    merged.addAll(map.values());
    merged.sort(ORDER);
    Map<String, ConfigResource<?>> ordered = new LinkedHashMap<>();
    merged.forEach(r -> ordered.put(r.key(), r));
    return new ConfigSet(java.util.Collections.unmodifiableMap(ordered));
  }

  /** This set without the resources of the given keys ({@code Kind/namespace/name}). */
  public ConfigSet withDeleted(Set<String> keys) {
    Map<String, ConfigResource<?>> map = new LinkedHashMap<>(byKey);
    keys.forEach(map::remove);
    return new ConfigSet(java.util.Collections.unmodifiableMap(map));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigSet other && byKey.equals(other.byKey);
  }

  @Override
  public int hashCode() {
    return byKey.hashCode();
  }

  @Override
  public String toString() {
    return "ConfigSet" + byKey.keySet();
  }
}
