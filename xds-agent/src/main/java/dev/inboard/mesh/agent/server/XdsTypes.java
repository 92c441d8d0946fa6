package dev.inboard.mesh.agent.server;

import java.util.List;

/** The xDS types the control plane serves, with istioctl's short names. */
final class XdsTypes {
  static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  /** In istioctl's column order. */
  static final List<String> ALL = List.of(CLUSTER, LISTENER, ENDPOINT, ROUTE);

  private XdsTypes() {}

  static String shortName(String typeUrl) {
    return switch (typeUrl) {
      case CLUSTER -> "CDS";
      case LISTENER -> "LDS";
      case ENDPOINT -> "EDS";
      case ROUTE -> "RDS";
      default -> typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    };
  }
}
