package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import io.fabric8.istio.api.api.networking.v1alpha3.IstioEgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An egress listener's {@code hosts}, grouped by namespace ({@code .} already replaced by the proxy's). */
final class Imports {
  static final String ANY_NAMESPACE = "*";

  private final Map<String, List<String>> hostsByNamespace;
  private final IstioEgressListener listener;

  private Imports(Map<String, List<String>> hostsByNamespace, IstioEgressListener listener) {
    this.hostsByNamespace = hostsByNamespace;
    this.listener = listener;
  }

  static Imports of(IstioEgressListener listener, String configNamespace) {
    Map<String, List<String>> byNamespace = new LinkedHashMap<>();
    if (listener.getHosts() != null) {
      for (String h : listener.getHosts()) {
        int slash = h.indexOf('/');
        if (slash < 0 || h.indexOf('/', slash + 1) >= 0) {
          continue; // not namespace/dnsName: istiod logs and skips it
        }
        String ns = h.substring(0, slash);
        if (ns.equals(".")) {
          ns = configNamespace;
        }
        byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(h.substring(slash + 1));
      }
    }
    return new Imports(byNamespace, listener);
  }

  /** Whether a host defined in {@code namespace} is imported (wildcards match in both directions). */
  boolean importsVirtualServiceHost(String namespace, String host) {
    return anyMatches(hostsByNamespace.get(namespace), host) || anyMatches(hostsByNamespace.get(ANY_NAMESPACE), host);
  }

  private static boolean anyMatches(List<String> patterns, String host) {
    return patterns != null && patterns.stream().anyMatch(p -> IstioHosts.matches(p, host));
  }

  /**
   * The exported services this listener imports: an explicit {@code ns/host} import first, else a {@code * /host}
   * one; one namespace per host name (the proxy's, else a Kubernetes Service over a ServiceEntry, else the first).
   */
  List<MeshService> select(List<MeshService> exported, String configNamespace) {
    List<MeshService> imported = new ArrayList<>();
    for (MeshService s : exported) {
      Optional<MeshService> explicit = matching(hostsByNamespace.get(s.namespace()), s);
      if (explicit.isPresent()) {
        imported.add(explicit.get());
        continue;
      }
      matching(hostsByNamespace.get(ANY_NAMESPACE), s).ifPresent(imported::add);
    }
    Map<String, MeshService> chosen = new HashMap<>();
    for (MeshService s : imported) {
      MeshService seen = chosen.get(s.hostname());
      if (seen == null || s.namespace().equals(configNamespace)
          || (!SidecarScope.isKubernetes(seen) && SidecarScope.isKubernetes(s)
              && (s.namespace().equals(configNamespace) || !seen.namespace().equals(configNamespace)))) {
        chosen.put(s.hostname(), s);
      }
    }
    return imported.stream().filter(s -> chosen.get(s.hostname()).namespace().equals(s.namespace())).toList();
  }

  private Optional<MeshService> matching(List<String> patterns, MeshService s) {
    if (patterns == null) {
      return Optional.empty();
    }
    boolean hit = patterns.contains(s.hostname()) || patterns.stream()
        .filter(p -> IstioHosts.isWildcard(p) || IstioHosts.isWildcard(s.hostname()))
        .anyMatch(p -> IstioHosts.subsetOf(s.hostname(), p));
    if (!hit) {
      return Optional.empty();
    }
    if (SidecarScope.needsPortMatch(listener)) {
      return SidecarScope.withPort(s, listener.getPort().getNumber().intValue());
    }
    return Optional.of(s);
  }

  IstioEgressListener listener() {
    return listener;
  }
}
