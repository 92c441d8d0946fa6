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

  /**
   * The next snapshot. The secret references are recomputed only when listeners or clusters changed (the maps are
   * the same instances otherwise), so an endpoint change costs no walk over every cluster.
   */
  static MeshSnapshot assemble(MeshSnapshot previous, Map<String, ListenerConfig> listeners,
      Map<String, RouteConfig> routes, Map<String, ClusterConfig> clusters, Map<String, EndpointsConfig> endpoints,
      boolean complete) {
    Set<SecretRef> secrets;
    if (listeners == previous.listeners() && clusters == previous.clusters()) {
      secrets = previous.secrets();
    } else {
      secrets = new LinkedHashSet<>();
      listeners.values().forEach(l -> secrets.addAll(l.secretRefs()));
      clusters.values().forEach(c -> secrets.addAll(c.secretRefs()));
    }
    return new MeshSnapshot(previous.version() + 1, listeners, routes, clusters, endpoints, secrets, complete);
  }
}
