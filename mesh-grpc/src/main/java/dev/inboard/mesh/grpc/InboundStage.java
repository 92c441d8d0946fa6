package dev.inboard.mesh.grpc;

import io.grpc.ServerInterceptor;

/**
 * One step of a server's inbound chain, run by {@link MeshServerInterceptor} in {@link Phase} order: who the peer
 * is, then whether it may call, then what to record. A stage is a {@link ServerInterceptor}: it may answer the call
 * itself (e.g. {@code PERMISSION_DENIED}) or pass it on to the next stage.
 */
public interface InboundStage extends ServerInterceptor {

  /** Where in the chain a stage runs; earlier phases see the call first. */
  enum Phase {
    /** Establishes the peer's identity (the SPIFFE ID of its mTLS certificate). */
    PEER_IDENTITY,
    /** Allows or denies the call (Istio AuthorizationPolicy, as RBAC filters). */
    AUTHORIZATION,
    /** Records the call (metrics, traces, access logs). */
    TELEMETRY
  }

  Phase phase();
}
