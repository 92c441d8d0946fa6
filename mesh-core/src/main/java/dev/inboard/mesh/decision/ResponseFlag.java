package dev.inboard.mesh.decision;

/**
 * Envoy's response flags: why a request did not get a normal upstream response. Adapters report them (access logs,
 * metrics' {@code response_flags} label, an HTTP header on local replies) exactly as Envoy spells them.
 */
public enum ResponseFlag {
  /** No healthy upstream host. */
  UH("UH"),
  /** Upstream connection failure. */
  UF("UF"),
  /** Upstream overflow: a circuit breaker refused the request. */
  UO("UO"),
  /** No route configured for the request. */
  NR("NR"),
  /** Upstream retry limit exceeded. */
  URX("URX"),
  /** Upstream request timeout. */
  UT("UT"),
  /** The request was delayed by fault injection. */
  DI("DI"),
  /** The request was aborted by fault injection. */
  FI("FI"),
  /** Upstream connection termination. */
  UC("UC"),
  /** Upstream remote reset. */
  UR("UR"),
  /** Local reset. */
  LR("LR"),
  /** Denied by authorization (RBAC). */
  RBAC("RBAC"),
  /** Denied by an external authorization service. */
  UAEX("UAEX"),
  /** Downstream connection termination. */
  DC("DC"),
  /** No cluster found for the route's cluster name. */
  NC("NC"),
  /** The request exceeded its max stream duration. */
  UMSDR("UMSDR");

  private final String code;

  ResponseFlag(String code) {
    this.code = code;
  }

  /** The flag as Envoy prints it. */
  public String code() {
    return code;
  }
}
