package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.xds.XdsSyncState;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Holds start-up until the mesh has its first complete configuration ({@code mesh.wait-for-config}). */
final class MeshStartup {
  private MeshStartup() {}

  static void awaitFirstConfig(Mesh mesh, Duration timeout) {
    try {
      mesh.awaitReady(timeout);
    } catch (TimeoutException | IllegalStateException e) {
      XdsSyncState sync = mesh.xds().syncState();
      mesh.close();
      throw new MeshConfigurationException("mesh.wait-for-config",
          "no complete configuration from the control plane " + sync.server() + " within " + format(timeout)
              + " (mesh.wait-for-config=" + format(timeout) + "); xDS connection " + sync.connection(),
          "Check that the control plane at " + sync.server() + " is reachable and serves this workload, raise"
              + " mesh.wait-for-config, or remove it to start without waiting for configuration",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mesh.close();
      throw new IllegalStateException("interrupted while waiting for the first mesh configuration", e);
    }
  }

  /** {@code 30s}, {@code 1500ms}: how the property is usually written. */
  static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
