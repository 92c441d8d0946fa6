package dev.inboard.mesh.decision;

import java.util.Objects;

/**
 * A request the data plane did not (or could not) send upstream: the response flag and a reason a person can act
 * on, e.g. {@code no healthy upstream for outbound|9080|v2|reviews.default.svc.cluster.local: 2 of 2 endpoints
 * ejected by outlier detection}. Adapters map it to their idiom (HTTP 503 with the flag, gRPC UNAVAILABLE, ...).
 *
 * @param httpStatus the status Envoy would send downstream for this failure (503 for most, 404 for NR, ...)
 */
public record Failure(ResponseFlag flag, int httpStatus, String reason) {
  public Failure {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(reason, "reason");
    if (httpStatus < 100 || httpStatus > 599) {
      throw new IllegalArgumentException("httpStatus must be in [100, 599], was " + httpStatus);
    }
  }

  @Override
  public String toString() {
    return flag.code() + " " + httpStatus + ": " + reason;
  }
}
