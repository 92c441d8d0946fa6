package dev.inboard.mesh.config;

import java.util.Objects;

/**
 * Envoy's {@code core.v3.CidrRange}: an IP literal and a prefix length ({@code 10.0.0.0/8}, {@code ::/0}). Used by
 * filter chain matching and, later, by RBAC IP principals.
 */
public record CidrRange(String addressPrefix, int prefixLength) {
  public CidrRange {
    Objects.requireNonNull(addressPrefix, "addressPrefix");
    int max = addressPrefix.indexOf(':') >= 0 ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length of " + addressPrefix + " must be in [0, " + max + "], was " + prefixLength);
    }
  }

  public boolean isIpv6() {
    return addressPrefix.indexOf(':') >= 0;
  }

  @Override
  public String toString() {
    return addressPrefix + "/" + prefixLength;
  }
}
