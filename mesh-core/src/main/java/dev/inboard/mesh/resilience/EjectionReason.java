package dev.inboard.mesh.resilience;

/** Why outlier detection ejected a host (Envoy's {@code OutlierEjectionType}). */
public enum EjectionReason {
  CONSECUTIVE_5XX,
  CONSECUTIVE_GATEWAY_FAILURE,
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE,
  SUCCESS_RATE,
  FAILURE_PERCENTAGE,
  /** Success rate over local-origin events, with {@code split_external_local_origin_errors}. */
  SUCCESS_RATE_LOCAL_ORIGIN,
  /** Failure percentage over local-origin events, with {@code split_external_local_origin_errors}. */
  FAILURE_PERCENTAGE_LOCAL_ORIGIN
}
