package dev.inboard.mesh.bench;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.List;

/**
 * Serialized {@code DeltaDiscoveryResponse}s, built once before a measurement so that only the client's work is
 * timed: the fixture's full configuration, one response per type, and single-resource updates.
 */
public final class DeltaResponses {
  public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  private DeltaResponses() {}

  /** The whole configuration in the order a sidecar receives it: clusters, endpoints, listeners, routes. */
  public record FullConfig(byte[] clusters, byte[] endpoints, byte[] listeners, byte[] routes) {
    public List<byte[]> inOrder() {
      return List.of(clusters, endpoints, listeners, routes);
    }

    public long totalBytes() {
      return (long) clusters.length + endpoints.length + listeners.length + routes.length;
    }
  }

  public static FullConfig fullConfig(IstioScaleFixture fixture) {
    return new FullConfig(
        response(CDS, "cds-1", "1", fixture.clusters()),
        response(EDS, "eds-1", "1", fixture.loadAssignments()),
        response(LDS, "lds-1", "1", fixture.listeners()),
        response(RDS, "rds-1", "1", fixture.routeConfigurations()));
  }

  /** A Delta response of {@code typeUrl} carrying {@code resources}, each at {@code version}. */
  public static byte[] response(String typeUrl, String nonce, String version, List<? extends Message> resources) {
    DeltaDiscoveryResponse.Builder b = DeltaDiscoveryResponse.newBuilder()
        .setTypeUrl(typeUrl)
        .setSystemVersionInfo(version)
        .setNonce(nonce);
    for (Message m : resources) {
      b.addResources(Resource.newBuilder().setName(nameOf(m)).setVersion(version).setResource(Any.pack(m)));
    }
    return b.build().toByteArray();
  }

  /** An EDS update carrying one load assignment. */
  public static byte[] endpointUpdate(ClusterLoadAssignment assignment, String version, String nonce) {
    return response(EDS, nonce, version, List.of(assignment));
  }

  static String nameOf(Message m) {
    if (m instanceof Cluster c) {
      return c.getName();
    }
    if (m instanceof ClusterLoadAssignment cla) {
      return cla.getClusterName();
    }
    if (m instanceof Listener l) {
      return l.getName();
    }
    if (m instanceof RouteConfiguration rc) {
      return rc.getName();
    }
    throw new IllegalArgumentException("not an xDS resource of the four mesh types: " + m.getDescriptorForType());
  }
}
