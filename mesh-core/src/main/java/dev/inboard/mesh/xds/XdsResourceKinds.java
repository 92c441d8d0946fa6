package dev.inboard.mesh.xds;

import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.RouteConfigurationParser;

/** The four resource types of the mesh's xDS, in the order Envoy subscribes to them. */
public final class XdsResourceKinds {
  private XdsResourceKinds() {}

  public static final ResourceKind<ClusterConfig> CLUSTER = kind(new ClusterParser(), true);
  public static final ResourceKind<EndpointsConfig> ENDPOINTS = kind(new ClusterLoadAssignmentParser(), false);
  public static final ResourceKind<ListenerConfig> LISTENER = kind(new ListenerParser(), true);
  public static final ResourceKind<RouteConfig> ROUTE = kind(new RouteConfigurationParser(), false);

  private static <T> ResourceKind<T> kind(dev.inboard.mesh.xds.parse.ResourceParser<?, T> parser, boolean full) {
    return new ResourceKind<>(parser.kind(), parser.typeUrl(), full, parser);
  }
}
