package dev.inboard.mesh.agent.authn;

/** The mutual TLS mode a workload's inbound port runs in. */
public enum MtlsMode {
  /** Plaintext only. */
  DISABLE,
  /** mTLS and plaintext both accepted (Istio's default). */
  PERMISSIVE,
  /** mTLS required. */
  STRICT
}
