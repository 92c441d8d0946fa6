package dev.inboard.mesh.agent.xdsgen;

/**
 * MeshConfig's (or a Sidecar's) {@code outboundTrafficPolicy.mode}: what happens to traffic for hosts the mesh does
 * not know. It decides the catch-all virtual host of every outbound route table and the fallback filter chains of
 * outbound listeners.
 */
public enum OutboundTrafficPolicy {
  /** Unknown hosts pass through ({@code allow_any} virtual host, {@code PassthroughCluster}); istiod's default. */
  ALLOW_ANY,
  /** Unknown hosts are refused ({@code block_all} virtual host answering 502, {@code BlackHoleCluster}). */
  REGISTRY_ONLY;

  /** The cluster unknown TCP traffic goes to. */
  String fallbackCluster() {
    return this == ALLOW_ANY ? DefaultClusters.PASSTHROUGH : DefaultClusters.BLACK_HOLE;
  }
}
