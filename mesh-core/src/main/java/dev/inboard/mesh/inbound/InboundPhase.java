package dev.inboard.mesh.inbound;

/**
 * Where in the inbound chain a stage runs; earlier phases see the request first. Stages of one phase run in the order
 * they were added.
 */
public enum InboundPhase {
  /** Establishes the peer's identity (the SPIFFE ID of its mTLS certificate). */
  PEER_IDENTITY,
  /** Allows or denies the request (Istio AuthorizationPolicy, as Envoy's RBAC filter). */
  AUTHORIZATION,
  /** Records the request (metrics, traces, access logs). */
  TELEMETRY
}
