package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsSyncState;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP once the first complete configuration arrived (everything subscribed came or is known missing), as Envoy's
 * readiness; OUT_OF_SERVICE while waiting for it; DOWN once the mesh is closed or the xDS client failed. The last
 * refused (NACKed) update of each resource type, if any, is in the {@code rejected} detail.
 */
public class MeshHealthIndicator implements HealthIndicator {
  private final Mesh mesh;

  public MeshHealthIndicator(Mesh mesh) {
    this.mesh = mesh;
  }

  @Override
  public Health health() {
    MeshSnapshot snapshot = mesh.xds().snapshot();
    XdsSyncState sync = mesh.xds().syncState();
    Health.Builder builder;
    if (sync.connection() == XdsSyncState.ConnectionState.SHUTDOWN) {
      builder = Health.down().withDetail("reason", "the mesh is closed");
    } else if (mesh.xds().whenComplete().isCompletedExceptionally()) {
      builder = Health.down().withDetail("reason", "the xDS client failed before its first complete configuration");
    } else if (!mesh.xds().whenComplete().isDone()) {
      builder = Health.outOfService().withDetail("reason",
          "waiting for the first complete configuration from " + sync.server() + " (connection "
              + sync.connection() + ")");
    } else {
      builder = Health.up();
    }
    // A refused update leaves the last good configuration serving (as in Envoy), so it is a detail, not DOWN.
    Map<String, String> rejected = new TreeMap<>();
    for (XdsSyncState.TypeSync type : sync.types()) {
      type.lastNack().ifPresent(nack -> rejected.put(type.kind(), nack.reason()));
    }
    if (!rejected.isEmpty()) {
      builder.withDetail("rejected", rejected);
    }
    return builder
        .withDetail("server", sync.server())
        .withDetail("connection", sync.connection().name())
        .withDetail("version", snapshot.version())
        .withDetail("listeners", snapshot.listeners().size())
        .withDetail("clusters", snapshot.clusters().size())
        .build();
  }
}
