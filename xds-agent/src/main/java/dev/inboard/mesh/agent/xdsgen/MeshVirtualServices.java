package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The VirtualServices that shape a sidecar's outbound routes: those bound to the {@code mesh} gateway (no
 * {@code gateways}, or a list naming {@code mesh}), exported to the proxy's namespace, with hosts (a VirtualService
 * without hosts is a delegate, used only through a reference). Hosts are made fully qualified against the
 * VirtualService's namespace and lower-cased. Order is precedence: the earlier VirtualService owns a host both claim.
 */
final class MeshVirtualServices {
  private MeshVirtualServices() {}

  /** A VirtualService with its hosts resolved. */
  record Selected(ConfigResource<VirtualService> resource, List<String> hosts) {
    Selected {
      hosts = List.copyOf(hosts);
    }

    String key() {
      return resource.namespace() + "/" + resource.name();
    }
  }

  static List<Selected> select(List<ConfigResource<VirtualService>> virtualServices, String proxyNamespace,
      String domainSuffix) {
    List<Selected> out = new ArrayList<>();
    for (ConfigResource<VirtualService> vs : virtualServices) {
      VirtualService spec = vs.spec();
      if (spec.getHosts() == null || spec.getHosts().isEmpty() || !boundToMesh(spec) || !exportedTo(vs, proxyNamespace)) {
        continue;
      }
      List<String> hosts = spec.getHosts().stream()
          .map(h -> IstioHosts.resolve(h, vs.namespace(), domainSuffix).toLowerCase(Locale.ROOT))
          .toList();
      out.add(new Selected(vs, hosts));
    }
    return out;
  }

  static boolean boundToMesh(VirtualService spec) {
    return spec.getGateways() == null || spec.getGateways().isEmpty()
        || spec.getGateways().contains(VirtualServiceRoutes.MESH_GATEWAY);
  }

  /** {@code exportTo}: absent or {@code *} for all namespaces, {@code .} for its own, {@code ~} for none. */
  static boolean exportedTo(ConfigResource<VirtualService> vs, String namespace) {
    List<String> exportTo = vs.spec().getExportTo();
    if (exportTo == null || exportTo.isEmpty()) {
      return true;
    }
    for (String target : exportTo) {
      if (target.equals("*") || target.equals(namespace)
          || (target.equals(".") && vs.namespace().equals(namespace))) {
        return true;
      }
    }
    return false;
  }

  /** The VirtualServices with a host matching a service on the port (every one on port 80, as istiod does). */
  static List<Selected> forPort(List<Selected> selected, Map<String, MeshService> servicesOnPort, int port) {
    if (port == 80) {
      return selected;
    }
    return selected.stream()
        .filter(vs -> vs.hosts().stream().anyMatch(h -> servicesOnPort.keySet().stream()
            .anyMatch(svc -> IstioHosts.matches(h, svc))))
        .toList();
  }

  /**
   * For every service host, the VirtualService that claims it most specifically: an exact host first, else the
   * longest matching wildcard; the earliest VirtualService among equals.
   */
  static Map<String, String> ownerByService(List<Selected> selected, List<MeshService> services) {
    Map<String, String> exactOwner = new LinkedHashMap<>();
    Map<String, String> wildcardOwner = new LinkedHashMap<>();
    for (Selected vs : selected) {
      for (String host : vs.hosts()) {
        (IstioHosts.isWildcard(host) ? wildcardOwner : exactOwner).putIfAbsent(host, vs.key());
      }
    }
    Map<String, String> out = new HashMap<>();
    for (MeshService service : services) {
      Optional<String> owner = Optional.ofNullable(exactOwner.get(service.hostname()))
          .or(() -> IstioHosts.mostSpecificMatch(service.hostname(), wildcardOwner.keySet()).map(wildcardOwner::get));
      owner.ifPresent(o -> out.put(service.hostname(), o));
    }
    return out;
  }

  /** A VirtualService's hosts split into registry services on the port and hosts the registry does not know. */
  record Split(List<String> otherHosts, List<MeshService> services) {}

  static Split split(Selected vs, Map<String, MeshService> servicesOnPort, Map<String, String> ownerByService) {
    List<String> other = new ArrayList<>();
    List<MeshService> services = new ArrayList<>();
    List<String> wildcards = new ArrayList<>();
    for (String host : vs.hosts()) {
      if (IstioHosts.isWildcard(host)) {
        wildcards.add(host);
      } else if (servicesOnPort.containsKey(host)) {
        services.add(servicesOnPort.get(host));
      } else {
        other.add(host);
      }
    }
    for (String wildcard : wildcards) {
      boolean anyService = false;
      for (MeshService service : servicesOnPort.values()) {
        if (!IstioHosts.matches(service.hostname(), wildcard)) {
          continue;
        }
        anyService = true;
        if (vs.key().equals(ownerByService.get(service.hostname()))) {
          services.add(service);
        }
      }
      if (!anyService) {
        other.add(wildcard);
      }
    }
    return new Split(other, services);
  }
}
