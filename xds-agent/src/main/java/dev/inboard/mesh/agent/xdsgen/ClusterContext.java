package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import java.util.List;
import java.util.TreeSet;

/** What cluster and endpoint generation for one proxy reads, computed once per push. */
record ClusterContext(ProxyView proxy, PushContext push, SidecarScope scope, DestinationRules rules,
    MtlsModes peerAuthn) {

  static ClusterContext of(ProxyView proxy, PushContext push) {
    return new ClusterContext(proxy, push, SidecarScope.of(proxy, push), DestinationRules.of(push),
        new MtlsModes(push));
  }

  /** The SPIFFE identities of a service's workloads, sorted: the SANs its clusters accept. */
  List<String> serviceAccounts(MeshService service) {
    TreeSet<String> out = new TreeSet<>();
    for (WorkloadInstance w : push.registry().instancesOf(service)) {
      if (!w.serviceAccount().isEmpty()) {
        String namespace = w.origin() == WorkloadInstance.Origin.SERVICE_ENTRY_ENDPOINT
            ? service.namespace() : w.namespace();
        out.add("spiffe://" + push.mesh().trustDomain() + "/ns/" + namespace + "/sa/" + w.serviceAccount());
      }
    }
    return List.copyOf(out);
  }

  /** Whether the proxy has only IPv6 addresses (it is taken as IPv4 otherwise). */
  boolean ipv6Only() {
    return !proxy.ipAddresses().isEmpty() && proxy.ipAddresses().stream().allMatch(ip -> ip.contains(":"));
  }

  /** Whether the proxy has both IPv4 and IPv6 addresses. */
  boolean dualStack() {
    return proxy.ipAddresses().stream().anyMatch(ip -> ip.contains(":"))
        && proxy.ipAddresses().stream().anyMatch(ip -> !ip.contains(":"));
  }
}
