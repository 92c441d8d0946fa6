package dev.inboard.mesh.agent.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A service of the mesh, as istiod's registries see it.
 *
 * @param hostname the FQDN ({@code reviews.default.svc.cluster.local}) or a ServiceEntry host
 * @param namespace where it is defined
 * @param addresses its VIPs (may be empty)
 * @param ports its ports
 * @param resolution STATIC (endpoints by IP), DNS, or NONE (passthrough)
 * @param external whether it is MESH_EXTERNAL
 * @param workloadSelector labels selecting its workloads; empty with {@code staticEndpoints} or DNS resolution
 * @param staticEndpoints endpoints written in a ServiceEntry
 * @param exportTo namespaces that may see it ({@code *} for all, {@code .} for its own)
 * @param origin {@code Kind namespace/name} of the resource that defined it
 */
public record MeshService(
    String hostname,
    String namespace,
    List<String> addresses,
    List<ServicePort> ports,
    Resolution resolution,
    boolean external,
    Map<String, String> workloadSelector,
    List<WorkloadInstance> staticEndpoints,
    Set<String> exportTo,
    String origin) {

  public enum Resolution { STATIC, DNS, DNS_ROUND_ROBIN, NONE }

  public MeshService {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(namespace, "namespace");
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
    Objects.requireNonNull(resolution, "resolution");
    workloadSelector = Map.copyOf(workloadSelector);
    staticEndpoints = List.copyOf(staticEndpoints);
    exportTo = Set.copyOf(exportTo);
    Objects.requireNonNull(origin, "origin");
  }

  public Optional<ServicePort> port(int number) {
    return ports.stream().filter(p -> p.port() == number).findFirst();
  }

  /** The short name: the first label of a Kubernetes-style hostname. */
  public String shortName() {
    int dot = hostname.indexOf('.');
    return dot < 0 ? hostname : hostname.substring(0, dot);
  }
}
