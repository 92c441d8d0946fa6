package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsSyncState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP once the first complete configuration arrived (everything subscribed came or is known missing), as Envoy's
 * readiness; OUT_OF_SERVICE while waiting for it; DOWN once the mesh is closed or the xDS client failed.
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
    return builder
        .withDetail("server", sync.server())
        .withDetail("connection", sync.connection().name())
        .withDetail("version", snapshot.version())
        .withDetail("listeners", snapshot.listeners().size())
        .withDetail("clusters", snapshot.clusters().size())
        .build();
  }
}
