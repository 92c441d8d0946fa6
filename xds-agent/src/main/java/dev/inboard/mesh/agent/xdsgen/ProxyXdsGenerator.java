package dev.inboard.mesh.agent.xdsgen;

/** Generates, for one proxy, the xDS istiod would send it: sidecar-shaped, or the grpc generator's shape. */
@FunctionalInterface
public interface ProxyXdsGenerator {
  GeneratedXds generate(ProxyView proxy, PushContext push);
}
