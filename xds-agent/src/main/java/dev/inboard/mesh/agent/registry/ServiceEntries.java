package dev.inboard.mesh.agent.registry;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntry;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A ServiceEntry as istiod's ServiceEntry registry sees it: one service per host. */
final class ServiceEntries {
  private ServiceEntries() {}

  static List<MeshService> services(ConfigResource<ServiceEntry> resource) {
    ServiceEntry se = resource.spec();
    List<ServicePort> ports = new ArrayList<>();
    if (se.getPorts() != null) {
      for (var p : se.getPorts()) {
        if (p.getNumber() == null || p.getNumber() < 1 || p.getNumber() > 65535) {
          continue;
        }
        int number = p.getNumber().intValue();
        String name = WorkloadEntries.orEmpty(p.getName());
        String explicit = WorkloadEntries.orEmpty(p.getProtocol());
        Protocol protocol = Protocol.of(explicit.isEmpty() ? name : explicit);
        int target = p.getTargetPort() != null && p.getTargetPort() > 0 ? p.getTargetPort().intValue() : number;
        ports.add(new ServicePort(name, number, protocol, target, ""));
      }
    }
    List<String> addresses = addresses(se.getAddresses());
    MeshService.Resolution resolution = resolution(se);
    boolean external = se.getLocation() == null || se.getLocation() == ServiceEntryLocation.MESH_EXTERNAL;
    Map<String, String> selector = se.getWorkloadSelector() == null || se.getWorkloadSelector().getLabels() == null
        ? Map.of() : se.getWorkloadSelector().getLabels();
    List<WorkloadInstance> endpoints = new ArrayList<>();
    if (se.getEndpoints() != null) {
      for (WorkloadEntry we : se.getEndpoints()) {
        endpoints.add(WorkloadEntries.endpoint(resource, we));
      }
    }
    Set<String> exportTo = se.getExportTo() == null || se.getExportTo().isEmpty()
        ? Set.of("*") : new LinkedHashSet<>(se.getExportTo());
    List<MeshService> out = new ArrayList<>();
    if (se.getHosts() != null) {
      for (String host : se.getHosts()) {
        out.add(new MeshService(host, resource.namespace(), addresses, ports, resolution, external, selector,
            endpoints, exportTo, resource.displayName()));
      }
    }
    return out;
  }

  /** IPs and CIDRs as written, a full-length CIDR ({@code /32}, {@code /128}) as its IP. */
  private static List<String> addresses(List<String> written) {
    List<String> out = new ArrayList<>();
    if (written != null) {
      for (String a : written) {
        if (a.endsWith("/32") && !a.contains(":")) {
          out.add(a.substring(0, a.length() - 3));
        } else if (a.endsWith("/128")) {
          out.add(a.substring(0, a.length() - 4));
        } else {
          out.add(a);
        }
      }
    }
    return out;
  }

  /** Unset resolution is NONE (the first enum value); DYNAMIC_DNS resolves like DNS here. */
  private static MeshService.Resolution resolution(ServiceEntry se) {
    if (se.getResolution() == null) {
      return MeshService.Resolution.NONE;
    }
    return switch (se.getResolution()) {
      case STATIC -> MeshService.Resolution.STATIC;
      case DNS, DYNAMIC_DNS -> MeshService.Resolution.DNS;
      case DNS_ROUND_ROBIN -> MeshService.Resolution.DNS_ROUND_ROBIN;
      case NONE -> MeshService.Resolution.NONE;
    };
  }
}
