package dev.inboard.mesh.resilience;

/** Why outlier detection ejected a host (Envoy's {@code OutlierEjectionType}). */
public enum EjectionReason {
  CONSECUTIVE_5XX,
  CONSECUTIVE_GATEWAY_FAILURE,
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE,
  SUCCESS_RATE,
  FAILURE_PERCENTAGE
}
