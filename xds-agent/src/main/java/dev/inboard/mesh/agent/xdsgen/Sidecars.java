package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.fabric8.istio.api.api.networking.v1alpha3.Sidecar;
import java.util.Map;
import java.util.Optional;

/**
 * Which Sidecar resource applies to a proxy: one in its namespace whose {@code workloadSelector} matches its
 * labels, else the one in its namespace without a selector, else the root namespace's without a selector. Ties
 * go to the first by name (istiod: the oldest).
 */
final class Sidecars {
  private Sidecars() {}

  static Optional<ConfigResource<Sidecar>> select(ProxyView proxy, PushContext push) {
    var sidecars = push.config().sidecars();
    Optional<ConfigResource<Sidecar>> selecting = sidecars.stream()
        .filter(s -> s.namespace().equals(proxy.namespace()) && hasSelector(s))
        .filter(s -> selects(s.spec().getWorkloadSelector().getLabels(), proxy.labels()))
        .findFirst();
    if (selecting.isPresent()) {
      return selecting;
    }
    Optional<ConfigResource<Sidecar>> namespaceWide = sidecars.stream()
        .filter(s -> s.namespace().equals(proxy.namespace()) && !hasSelector(s))
        .findFirst();
    if (namespaceWide.isPresent()) {
      return namespaceWide;
    }
    return sidecars.stream()
        .filter(s -> s.namespace().equals(push.mesh().rootNamespace()) && !hasSelector(s))
        .findFirst();
  }

  private static boolean hasSelector(ConfigResource<Sidecar> s) {
    return s.spec().getWorkloadSelector() != null && s.spec().getWorkloadSelector().getLabels() != null
        && !s.spec().getWorkloadSelector().getLabels().isEmpty();
  }

  /** Label selection: every selector label on the workload. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return labels.entrySet().containsAll(selector.entrySet());
  }
}
