package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.agent.registry.ServiceRegistry;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small registry for tests: each Kubernetes Service selects, by labels, the workloads that registered. */
public final class ServiceSelectingRegistry implements RegistryBuilder {
  @Override
  public ServiceRegistry build(ConfigSet config, List<WorkloadInstance> autoRegistered) {
    List<MeshService> services = new ArrayList<>();
    for (ConfigResource<ServiceSpec> svc : config.kubernetesServices()) {
      List<ServicePort> ports = new ArrayList<>();
      for (io.fabric8.kubernetes.api.model.ServicePort p : svc.spec().getPorts()) {
        IntOrString target = p.getTargetPort();
        int targetPort = target != null && target.getIntVal() != null ? target.getIntVal() : p.getPort();
        String targetName = target != null && target.getStrVal() != null ? target.getStrVal() : "";
        ports.add(new ServicePort(p.getName(), p.getPort(), Protocol.of(p.getName()), targetPort, targetName));
      }
      Map<String, String> selector = svc.spec().getSelector() == null ? Map.of() : svc.spec().getSelector();
      services.add(new MeshService(svc.name() + "." + svc.namespace() + ".svc.cluster.local", svc.namespace(),
          List.of(), ports, MeshService.Resolution.STATIC, false, selector, List.of(), Set.of("*"),
          svc.displayName()));
    }
    services.sort(Comparator.comparing(MeshService::hostname));
    return new ServiceRegistry(services, autoRegistered);
  }
}
