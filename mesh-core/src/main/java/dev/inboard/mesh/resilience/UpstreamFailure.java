package dev.inboard.mesh.resilience;

/** What went wrong with one request to a host, as outlier detection classifies it. */
public enum UpstreamFailure {
  /** The host answered with a 5xx other than 502, 503 or 504. */
  SERVER_ERROR(true),
  /** The host answered 502, 503 or 504. */
  GATEWAY_ERROR(true),
  /** The host's connection reset or failed after the request was sent (Envoy's external-origin failure). */
  REQUEST_FAILED(true),
  /** No connection could be made (local origin). */
  CONNECT_FAILED(false),
  /** The request timed out (local origin). */
  TIMEOUT(false);

  private final boolean externalOrigin;

  UpstreamFailure(boolean externalOrigin) {
    this.externalOrigin = externalOrigin;
  }

  /** Whether the upstream caused it (as opposed to a local-origin event such as a failed connect). */
  public boolean externalOrigin() {
    return externalOrigin;
  }

  /** The failure for an HTTP status, for statuses of 500 and above. */
  public static UpstreamFailure ofStatus(int status) {
    return status == 502 || status == 503 || status == 504 ? GATEWAY_ERROR : SERVER_ERROR;
  }
}
