package dev.inboard.mesh.lb;

import dev.inboard.mesh.config.SocketAddress;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a pick needs from the request.
 *
 * @param hash the request's hash from the route's hash policy; ring hash and Maglev choose the priority and the
 *     host by it, other policies ignore it; empty means random
 * @param avoidHosts hosts a retry should not land on again (Envoy's previous-hosts retry predicate)
 * @param hostSelectionRetryMaxAttempts how many more picks to make when the pick is in {@code avoidHosts}; when
 *     they are used up the last pick stands, as in Envoy
 */
public record PickRequest(OptionalLong hash, Set<SocketAddress> avoidHosts, int hostSelectionRetryMaxAttempts) {
  /** No hash, nothing to avoid. */
  public static final PickRequest ANY = new PickRequest(OptionalLong.empty(), Set.of(), 0);

  public PickRequest {
    Objects.requireNonNull(hash, "hash");
    avoidHosts = Set.copyOf(avoidHosts);
    if (hostSelectionRetryMaxAttempts < 0) {
      throw new IllegalArgumentException(
          "hostSelectionRetryMaxAttempts must not be negative, was " + hostSelectionRetryMaxAttempts);
    }
  }

  public static PickRequest withHash(long hash) {
    return new PickRequest(OptionalLong.of(hash), Set.of(), 0);
  }

  /** A retry's pick: avoid the hosts tried so far, re-picking up to {@code maxAttempts} times. */
  public PickRequest avoiding(Set<SocketAddress> hosts, int maxAttempts) {
    return new PickRequest(hash, hosts, maxAttempts);
  }
}
