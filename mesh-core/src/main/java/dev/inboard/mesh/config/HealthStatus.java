package dev.inboard.mesh.config;

/** An endpoint's health as the control plane reports it (Envoy's {@code core.v3.HealthStatus}). */
public enum HealthStatus {
  /** Not known; Envoy treats such an endpoint as healthy. */
  UNKNOWN,
  HEALTHY,
  UNHEALTHY,
  /** Being removed: no new requests unless the cluster keeps draining hosts (persistent sessions). */
  DRAINING,
  /** A health check timed out; treated as unhealthy. */
  TIMEOUT,
  /** Serving, but only used when too few healthy endpoints remain. */
  DEGRADED
}
