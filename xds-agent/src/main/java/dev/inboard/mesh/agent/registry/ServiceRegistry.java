package dev.inboard.mesh.agent.registry;

import java.util.List;
import java.util.Optional;

/**
 * Services and workloads known to the control plane at one moment; immutable. Endpoints of a service are its
 * static endpoints plus every workload in its namespace whose labels match its selector.
 */
public record ServiceRegistry(List<MeshService> services, List<WorkloadInstance> workloads) {
  public static final ServiceRegistry EMPTY = new ServiceRegistry(List.of(), List.of());

  public ServiceRegistry {
    services = List.copyOf(services);
    workloads = List.copyOf(workloads);
  }

  public Optional<MeshService> service(String hostname) {
    return services.stream().filter(s -> s.hostname().equals(hostname)).findFirst();
  }

  /** The workloads behind a service: its static endpoints, or the workloads its selector matches. */
  public List<WorkloadInstance> instancesOf(MeshService service) {
    if (!service.staticEndpoints().isEmpty() || service.workloadSelector().isEmpty()) {
      return service.staticEndpoints();
    }
    return workloads.stream()
        .filter(w -> w.namespace().equals(service.namespace()) && w.matches(service.workloadSelector()))
        .toList();
  }

  /** This registry with a different set of workloads (auto-registration adds and removes them). */
  public ServiceRegistry withWorkloads(List<WorkloadInstance> newWorkloads) {
    return new ServiceRegistry(services, newWorkloads);
  }
}
