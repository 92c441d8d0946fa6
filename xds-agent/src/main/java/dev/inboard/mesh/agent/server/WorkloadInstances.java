package dev.inboard.mesh.agent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.bootstrap.IstioMetadata;
import dev.inboard.mesh.bootstrap.NodeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Auto-registration: the workload a connecting proxy describes in its node metadata, as istiod's WorkloadGroup
 * auto-registration reads it.
 */
public final class WorkloadInstances {
  /** The label marking a workload that speaks Istio mTLS. */
  public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Node metadata that keeps a node out of auto-registration when set to {@code "false"}. */
  public static final String REGISTER = "INBOARD_REGISTER";

  private WorkloadInstances() {}

  /**
   * The workload of a node, or empty when the node cannot be a service endpoint: it needs an IP
   * ({@code INSTANCE_IPS}) and labels ({@code LABELS}) for a service to select it. A node that says
   * {@code INBOARD_REGISTER: "false"} (as {@code meshctl route} does, to look at config as a workload without
   * joining the mesh as one) is served but never registered.
   *
   * <ul>
   *   <li>name: {@code WORKLOAD_NAME}, else the pod name ({@code NAME}, else from the node id);
   *   <li>namespace: {@code NAMESPACE}, else from the node id, else {@code default};
   *   <li>address: the first of {@code INSTANCE_IPS};
   *   <li>service account: {@code SERVICE_ACCOUNT}, else {@code default};
   *   <li>ports: the named container ports of {@code POD_PORTS}
   *       ({@code [{"name":"http","containerPort":9080,"protocol":"TCP"}]}, JSON text as istio-agent sends it);
   *   <li>locality {@code region/zone/subzone} from the node; network from {@code NETWORK};
   *   <li>mTLS when labelled {@code security.istio.io/tlsMode: istio}.
   * </ul>
   */
  public static Optional<WorkloadInstance> fromNode(NodeInfo node) {
    Optional<String> address = node.instanceIps().stream().filter(InetAddresses::isInetAddress).findFirst();
    Map<String, String> labels = node.labels();
    if (address.isEmpty() || labels.isEmpty() || "false".equals(node.metadataString(REGISTER).orElse(""))) {
      return Optional.empty();
    }
    String[] idParts = node.id().split("~", -1);
    String podAndNamespace = idParts.length == 4 ? idParts[2] : "";
    int dot = podAndNamespace.indexOf('.');
    String podFromId = dot < 0 ? podAndNamespace : podAndNamespace.substring(0, dot);
    String namespaceFromId = dot < 0 ? "" : podAndNamespace.substring(dot + 1);

    String name = node.workloadName()
        .or(() -> node.metadataString(IstioMetadata.NAME))
        .orElse(podFromId.isEmpty() ? node.id() : podFromId);
    String namespace = node.namespace().orElse(namespaceFromId.isEmpty() ? "default" : namespaceFromId);
    return Optional.of(new WorkloadInstance(
        name,
        namespace,
        address.get(),
        labels,
        node.serviceAccount().orElse("default"),
        ports(node.metadata().get(IstioMetadata.POD_PORTS)),
        locality(node.locality()),
        node.metadataString(IstioMetadata.NETWORK).orElse(""),
        "istio".equals(labels.get(TLS_MODE_LABEL)),
        0,
        WorkloadInstance.Origin.AUTO_REGISTERED));
  }

  /** Named container ports of {@code POD_PORTS}: JSON text (istio-agent) or an already structured list. */
  static Map<String, Integer> ports(@Nullable Object podPorts) {
    JsonNode list;
    if (podPorts instanceof String text) {
      if (text.isBlank()) {
        return Map.of();
      }
      try {
        list = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        return Map.of();
      }
    } else if (podPorts instanceof List<?>) {
      list = JSON.valueToTree(podPorts);
    } else {
      return Map.of();
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode port : list) {
      String name = port.path("name").asText("");
      int number = port.path("containerPort").asInt(0);
      if (!name.isEmpty() && number > 0 && number <= 65535) {
        ports.putIfAbsent(name, number);
      }
    }
    return Map.copyOf(ports);
  }

  private static String locality(NodeInfo.Locality l) {
    if (l.isEmpty()) {
      return "";
    }
    String joined = l.region() + "/" + l.zone() + "/" + l.subZone();
    while (joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return joined;
  }
}
