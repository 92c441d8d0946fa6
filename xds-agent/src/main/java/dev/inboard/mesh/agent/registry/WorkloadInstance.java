package dev.inboard.mesh.agent.registry;

import java.util.Map;
import java.util.Objects;

/**
 * One workload (a pod's equivalent): where it listens and who it is.
 *
 * @param name workload name (the WorkloadEntry name, or the connected workload's WORKLOAD_NAME / pod name)
 * @param namespace its namespace
 * @param address its IP (or a host name for DNS ServiceEntries)
 * @param labels its labels (app, version, ...)
 * @param serviceAccount its service account (the SPIFFE identity's last part)
 * @param ports named ports it listens on (WorkloadEntry {@code ports}, or the workload's POD_PORTS)
 * @param locality {@code region/zone/subzone}, or empty
 * @param network its network, or empty
 * @param mtls whether it speaks Istio mTLS ({@code security.istio.io/tlsMode: istio})
 * @param weight load-balancing weight (0 = unset)
 * @param origin where it came from
 */
public record WorkloadInstance(
    String name,
    String namespace,
    String address,
    Map<String, String> labels,
    String serviceAccount,
    Map<String, Integer> ports,
    String locality,
    String network,
    boolean mtls,
    int weight,
    Origin origin) {

  public enum Origin { WORKLOAD_ENTRY, SERVICE_ENTRY_ENDPOINT, AUTO_REGISTERED }

  public WorkloadInstance {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(address, "address");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    ports = Map.copyOf(ports);
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(origin, "origin");
  }

  /** Whether every label of {@code selector} is on this workload (an empty selector selects nothing). */
  public boolean matches(Map<String, String> selector) {
    return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }
}
