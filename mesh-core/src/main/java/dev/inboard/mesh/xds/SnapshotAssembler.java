package dev.inboard.mesh.xds;

import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Builds the immutable snapshot from the resources in use. */
final class SnapshotAssembler {
  private SnapshotAssembler() {}

  static MeshSnapshot assemble(long version, Map<String, ListenerConfig> listeners, Map<String, RouteConfig> routes,
      Map<String, ClusterConfig> clusters, Map<String, EndpointsConfig> endpoints, boolean complete) {
    Set<SecretRef> secrets = new LinkedHashSet<>();
    listeners.values().forEach(l -> secrets.addAll(l.secretRefs()));
    clusters.values().forEach(c -> secrets.addAll(c.secretRefs()));
    return new MeshSnapshot(version, listeners, routes, clusters, endpoints, secrets, complete);
  }
}
