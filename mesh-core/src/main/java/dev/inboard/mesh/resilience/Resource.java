package dev.inboard.mesh.resilience;

/** The resources Envoy's circuit breakers limit, with the threshold field each is checked against. */
public enum Resource {
  CONNECTIONS("max_connections", "connections"),
  PENDING_REQUESTS("max_pending_requests", "pending requests"),
  REQUESTS("max_requests", "requests"),
  RETRIES("max_retries", "retries");

  private final String field;
  private final String noun;

  Resource(String field, String noun) {
    this.field = field;
    this.noun = noun;
  }

  /** The threshold's proto field name. */
  public String field() {
    return field;
  }

  String noun() {
    return noun;
  }
}
