package dev.inboard.mesh.agent.xdsgen;

import java.util.Objects;

/**
 * Mesh-wide settings istiod takes from MeshConfig.
 *
 * @param trustDomain the SPIFFE trust domain ({@code cluster.local})
 * @param domainSuffix the DNS suffix of service host names ({@code cluster.local})
 * @param rootNamespace the namespace whose policies apply mesh-wide ({@code istio-system})
 */
public record MeshSettings(String trustDomain, String domainSuffix, String rootNamespace) {
  public static final MeshSettings DEFAULT = new MeshSettings("cluster.local", "cluster.local", "istio-system");

  public MeshSettings {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(domainSuffix, "domainSuffix");
    Objects.requireNonNull(rootNamespace, "rootNamespace");
  }
}
