package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.NodeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy (a connected workload, or one described by hand for {@code proxy-config}) that config is generated
 * for: what istiod reads from the node.
 */
public record ProxyView(
    String id,
    String namespace,
    Map<String, String> labels,
    String serviceAccount,
    List<String> ipAddresses,
    ConfigShape shape,
    String clusterId,
    NodeInfo node) {

  public ProxyView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(namespace, "namespace");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    ipAddresses = List.copyOf(ipAddresses);
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(node, "node");
  }

  /** The view istiod takes of a node: namespace, labels, service account and IPs from its metadata. */
  public static ProxyView of(NodeInfo node) {
    return new ProxyView(node.id(), node.namespace().orElse("default"), node.labels(),
        node.serviceAccount().orElse("default"), node.instanceIps(), node.shape(),
        node.clusterId().orElse("Kubernetes"), node);
  }
}
