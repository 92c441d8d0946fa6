package dev.inboard.mesh.agent.registry;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.xdsgen.MeshSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the service registry istiod would hold for a set of Istio resources: services from ServiceEntries (one
 * per host) and Kubernetes Services, workloads from WorkloadEntries plus the workloads that connected to this
 * control plane (auto-registration).
 */
public final class RegistryBuilder {
  private RegistryBuilder() {}

  /**
   * The registry for {@code config}; {@code connected} workloads follow the WorkloadEntries. Services keep the
   * order of the config set (kind, namespace, name), a ServiceEntry's hosts in their written order.
   */
  public static ServiceRegistry build(ConfigSet config, List<WorkloadInstance> connected, MeshSettings mesh) {
    List<MeshService> services = new ArrayList<>();
    config.serviceEntries().forEach(se -> services.addAll(ServiceEntries.services(se)));
    config.kubernetesServices().forEach(svc -> services.add(KubernetesServices.service(svc, mesh.domainSuffix())));
    List<WorkloadInstance> workloads = new ArrayList<>();
    config.workloadEntries().forEach(we -> workloads.add(WorkloadEntries.instance(we)));
    workloads.addAll(connected);
    return new ServiceRegistry(services, workloads);
  }
}
