package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.registry.ServiceRegistry;
import java.util.Objects;

/** Everything config generation reads, immutable for one push: the Istio config, the registry, mesh settings. */
public record PushContext(ConfigSet config, ServiceRegistry registry, MeshSettings mesh) {
  public PushContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(mesh, "mesh");
  }
}
