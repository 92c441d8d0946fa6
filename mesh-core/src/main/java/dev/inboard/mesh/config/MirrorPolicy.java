package dev.inboard.mesh.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's {@code RequestMirrorPolicy}: a fire-and-forget copy of the request to another cluster.
 *
 * @param fraction share of requests mirrored; 100% when the policy has no {@code runtime_fraction}
 * @param traceSampled absent: the shadow request inherits the parent span's sampling decision
 * @param disableShadowHostSuffixAppend when false the shadow's authority gets {@code -shadow} appended
 */
public record MirrorPolicy(
    String cluster, Fraction fraction, Optional<Boolean> traceSampled, boolean disableShadowHostSuffixAppend) {
  public MirrorPolicy {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(fraction, "fraction");
    Objects.requireNonNull(traceSampled, "traceSampled");
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("mirror cluster must not be empty");
    }
  }
}
