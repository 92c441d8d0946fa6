package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import java.util.Objects;

/** The xDS a connected proxy is served: its name ({@code pod.namespace}), node id, and the resources. */
public record ServedProxy(String name, String nodeId, GeneratedXds xds) {
  public ServedProxy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(xds, "xds");
  }
}
