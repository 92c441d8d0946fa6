package dev.inboard.mesh.agent.registry;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/** WorkloadEntries (and a ServiceEntry's inline endpoints, which share their shape) as workloads. */
final class WorkloadEntries {
  /** The label that says whether a workload's proxy terminates Istio mTLS. */
  static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
  static final String DEFAULT_SERVICE_ACCOUNT = "default";

  private WorkloadEntries() {}

  static WorkloadInstance instance(ConfigResource<WorkloadEntry> resource) {
    WorkloadEntry we = resource.spec();
    String serviceAccount = nonEmpty(we.getServiceAccount()) ? we.getServiceAccount() : DEFAULT_SERVICE_ACCOUNT;
    return new WorkloadInstance(resource.name(), resource.namespace(), orEmpty(we.getAddress()), labels(we),
        serviceAccount, ports(we), orEmpty(we.getLocality()), orEmpty(we.getNetwork()), istioMtls(we),
        weight(we), WorkloadInstance.Origin.WORKLOAD_ENTRY);
  }

  /**
   * An inline endpoint of a ServiceEntry: its service account stays empty when unset (it then has no identity).
   */
  static WorkloadInstance endpoint(ConfigResource<?> serviceEntry, WorkloadEntry we) {
    return new WorkloadInstance(serviceEntry.name(), serviceEntry.namespace(), orEmpty(we.getAddress()), labels(we),
        orEmpty(we.getServiceAccount()), ports(we), orEmpty(we.getLocality()), orEmpty(we.getNetwork()),
        istioMtls(we), weight(we), WorkloadInstance.Origin.SERVICE_ENTRY_ENDPOINT);
  }

  /**
   * Istio's rule: the {@code security.istio.io/tlsMode} label decides when present ({@code istio} means mTLS);
   * without it, a workload that names a service account is taken to run a proxy and speak mTLS.
   */
  static boolean istioMtls(WorkloadEntry we) {
    Map<String, String> labels = we.getLabels() == null ? Map.of() : we.getLabels();
    if (labels.containsKey(TLS_MODE_LABEL)) {
      return "istio".equals(labels.get(TLS_MODE_LABEL));
    }
    return nonEmpty(we.getServiceAccount());
  }

  private static Map<String, String> labels(WorkloadEntry we) {
    return we.getLabels() == null ? Map.of() : we.getLabels();
  }

  private static Map<String, Integer> ports(WorkloadEntry we) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (we.getPorts() != null) {
      we.getPorts().forEach((name, port) -> {
        if (port != null && port > 0) {
          out.put(name, port.intValue());
        }
      });
    }
    return out;
  }

  private static int weight(WorkloadEntry we) {
    return we.getWeight() == null ? 0 : (int) Math.min(we.getWeight(), Integer.MAX_VALUE);
  }

  static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
