package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.IstioEgressListener;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Services a sidecar reaches through the VirtualServices its egress listener imports: every route and mirror
 * destination, in the proxy's namespace when a service there has the host name, else the first namespace (by
 * name) that exports it to the proxy.
 */
final class VirtualServiceDestinations {
  private static final String MESH_GATEWAY = "mesh";

  private VirtualServiceDestinations() {}

  static List<MeshService> services(IstioEgressListener listener, Imports imports, List<MeshService> exported,
      PushContext push, String configNamespace) {
    List<MeshService> out = new ArrayList<>();
    for (ConfigResource<VirtualService> vs : push.config().virtualServices()) {
      if (!appliesToMesh(vs.spec()) || !IstioHosts.exportedTo(orEmpty(vs.spec().getExportTo()), vs.namespace(),
          configNamespace) || !imported(vs, imports, push)) {
        continue;
      }
      destinations(vs, push.mesh().domainSuffix()).forEach((host, ports) -> {
        Optional<MeshService> service = pick(host, exported, configNamespace);
        service.flatMap(s -> narrow(s, listener, ports)).ifPresent(out::add);
      });
    }
    return out;
  }

  private static boolean appliesToMesh(VirtualService vs) {
    return vs.getGateways() == null || vs.getGateways().isEmpty() || vs.getGateways().contains(MESH_GATEWAY);
  }

  private static boolean imported(ConfigResource<VirtualService> vs, Imports imports, PushContext push) {
    for (String h : orEmpty(vs.spec().getHosts())) {
      String host = IstioHosts.resolve(h, vs.namespace(), push.mesh().domainSuffix());
      if (imports.importsVirtualServiceHost(vs.namespace(), host)) {
        return true;
      }
    }
    return false;
  }

  /** Destination hosts (resolved) and the ports named for them; port 0 stands for every port. */
  static Map<String, Set<Integer>> destinations(ConfigResource<VirtualService> vs, String domainSuffix) {
    Map<String, Set<Integer>> out = new LinkedHashMap<>();
    VirtualService spec = vs.spec();
    for (var http : orEmpty(spec.getHttp())) {
      orEmpty(http.getRoute()).forEach(r -> add(out, r.getDestination(), vs.namespace(), domainSuffix));
      add(out, http.getMirror(), vs.namespace(), domainSuffix);
      orEmpty(http.getMirrors()).forEach(m -> add(out, m.getDestination(), vs.namespace(), domainSuffix));
    }
    for (var tcp : orEmpty(spec.getTcp())) {
      orEmpty(tcp.getRoute()).forEach(r -> add(out, r.getDestination(), vs.namespace(), domainSuffix));
    }
    for (var tls : orEmpty(spec.getTls())) {
      orEmpty(tls.getRoute()).forEach(r -> add(out, r.getDestination(), vs.namespace(), domainSuffix));
    }
    return out;
  }

  private static void add(Map<String, Set<Integer>> out, Destination d, String namespace, String domainSuffix) {
    if (d == null || d.getHost() == null || d.getHost().isEmpty()) {
      return;
    }
    int port = d.getPort() == null || d.getPort().getNumber() == null ? 0 : d.getPort().getNumber().intValue();
    out.computeIfAbsent(IstioHosts.resolve(d.getHost(), namespace, domainSuffix), k -> new LinkedHashSet<>())
        .add(port);
  }

  private static Optional<MeshService> pick(String host, List<MeshService> exported, String configNamespace) {
    Optional<MeshService> local = exported.stream()
        .filter(s -> s.hostname().equals(host) && s.namespace().equals(configNamespace)).findFirst();
    if (local.isPresent()) {
      return local;
    }
    return exported.stream().filter(s -> s.hostname().equals(host))
        .min(Comparator.comparing(MeshService::namespace));
  }

  private static Optional<MeshService> narrow(MeshService s, IstioEgressListener listener, Set<Integer> ports) {
    if (SidecarScope.needsPortMatch(listener)) {
      return SidecarScope.withPort(s, listener.getPort().getNumber().intValue());
    }
    if (ports.contains(0)) {
      return Optional.of(s);
    }
    var found = s.ports().stream().filter(p -> ports.contains(p.port())).toList();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(found.size() == s.ports().size() ? s : SidecarScope.withPorts(s, found));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
