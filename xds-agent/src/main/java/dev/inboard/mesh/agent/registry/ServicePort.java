package dev.inboard.mesh.agent.registry;

import java.util.Objects;

/**
 * One port of a service. {@code targetPort} is where workloads listen (a ServiceEntry's {@code targetPort}, a
 * Kubernetes Service's numeric {@code targetPort}; else the port itself); {@code targetPortName} is set when a
 * Kubernetes Service names its target port, resolved per workload.
 */
public record ServicePort(String name, int port, Protocol protocol, int targetPort, String targetPortName) {
  public ServicePort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(targetPortName, "targetPortName");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("service port must be in [1, 65535], was " + port);
    }
  }
}
