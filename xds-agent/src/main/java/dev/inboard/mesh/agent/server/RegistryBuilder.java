package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.registry.ServiceRegistry;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import java.util.List;

/**
 * Builds the service registry for one push: services and workloads declared in the configuration, plus the
 * workloads that registered themselves by connecting.
 */
@FunctionalInterface
public interface RegistryBuilder {
  ServiceRegistry build(ConfigSet config, List<WorkloadInstance> autoRegistered);
}
