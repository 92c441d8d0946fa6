package dev.inboard.mesh.xds;

/** The ADS protocol variant. */
public enum XdsProtocol {
  /** Incremental (Delta) xDS, falling back to state-of-the-world when the server does not implement it. */
  AUTO,
  /** Incremental (Delta) xDS only. */
  DELTA,
  /** State-of-the-world xDS only. */
  SOTW
}
