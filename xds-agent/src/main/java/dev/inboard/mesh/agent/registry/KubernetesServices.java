package dev.inboard.mesh.agent.registry;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes Service as istiod's Kubernetes registry sees it. */
final class KubernetesServices {
  /** The annotation that scopes a Kubernetes Service's visibility, comma-separated like a ServiceEntry's. */
  static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

  private KubernetesServices() {}

  static MeshService service(ConfigResource<ServiceSpec> resource, String domainSuffix) {
    ServiceSpec spec = resource.spec();
    String hostname = resource.name() + "." + resource.namespace() + ".svc." + domainSuffix;
    List<ServicePort> ports = new ArrayList<>();
    if (spec.getPorts() != null) {
      for (var p : spec.getPorts()) {
        // UDP and SCTP ports get no clusters from istiod; they are left out here.
        if (p.getPort() == null || (p.getProtocol() != null && !"TCP".equalsIgnoreCase(p.getProtocol()))) {
          continue;
        }
        String name = WorkloadEntries.orEmpty(p.getName());
        Protocol protocol = Protocol.of(WorkloadEntries.nonEmpty(p.getAppProtocol()) ? p.getAppProtocol() : name);
        int targetPort = p.getPort();
        String targetPortName = "";
        if (p.getTargetPort() != null) {
          if (p.getTargetPort().getIntVal() != null && p.getTargetPort().getIntVal() > 0) {
            targetPort = p.getTargetPort().getIntVal();
          } else if (WorkloadEntries.nonEmpty(p.getTargetPort().getStrVal())) {
            targetPortName = p.getTargetPort().getStrVal();
          }
        }
        ports.add(new ServicePort(name, p.getPort(), protocol, targetPort, targetPortName));
      }
    }
    String clusterIp = WorkloadEntries.orEmpty(spec.getClusterIP());
    boolean headless = "None".equals(clusterIp);
    List<String> addresses = clusterIp.isEmpty() || headless ? List.of() : List.of(clusterIp);
    Map<String, String> selector = spec.getSelector() == null ? Map.of() : spec.getSelector();
    return new MeshService(hostname, resource.namespace(), addresses, ports,
        headless ? MeshService.Resolution.NONE : MeshService.Resolution.STATIC, false, selector, List.of(),
        exportTo(resource.annotations().get(EXPORT_TO_ANNOTATION)), resource.displayName());
  }

  private static Set<String> exportTo(String annotation) {
    if (annotation == null || annotation.isBlank()) {
      return Set.of("*");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String part : annotation.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out.isEmpty() ? Set.of("*") : out;
  }
}
