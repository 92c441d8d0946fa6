package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.xds.parse.CommonProtos;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.type.v3.SemanticVersion;

/** What a connecting proxy says about itself, read from the {@code Node} of its first request. */
final class NodeInfos {
  private NodeInfos() {}

  /**
   * The node as mesh-core models it: metadata {@code Struct} as a JSON-like map, numbers as {@code Double}.
   *
   * @throws IllegalArgumentException when the node has no id
   */
  static NodeInfo fromProto(Node node) {
    if (node.getId().isBlank()) {
      throw new IllegalArgumentException("node.id is empty; a proxy must say who it is on its first request");
    }
    NodeInfo.Locality locality = node.hasLocality()
        ? new NodeInfo.Locality(node.getLocality().getRegion(), node.getLocality().getZone(),
            node.getLocality().getSubZone())
        : NodeInfo.Locality.EMPTY;
    return new NodeInfo(node.getId(), node.getCluster(), CommonProtos.struct(node.getMetadata()), locality,
        node.getUserAgentName(), userAgentVersion(node));
  }

  private static String userAgentVersion(Node node) {
    return switch (node.getUserAgentVersionTypeCase()) {
      case USER_AGENT_VERSION -> node.getUserAgentVersion();
      case USER_AGENT_BUILD_VERSION -> {
        SemanticVersion v = node.getUserAgentBuildVersion().getVersion();
        yield v.getMajorNumber() + "." + v.getMinorNumber() + "." + v.getPatch();
      }
      case USERAGENTVERSIONTYPE_NOT_SET -> "";
    };
  }

  /**
   * How proxy-status names a proxy, as istioctl does: {@code pod.namespace} from an Istio node id
   * ({@code sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local}), else the node id itself.
   */
  static String proxyName(NodeInfo node) {
    String[] parts = node.id().split("~", -1);
    if (parts.length == 4 && !parts[2].isEmpty()) {
      return parts[2];
    }
    return node.metadataString(dev.inboard.mesh.bootstrap.IstioMetadata.NAME)
        .flatMap(name -> node.namespace().map(ns -> name + "." + ns))
        .orElse(node.id());
  }
}
