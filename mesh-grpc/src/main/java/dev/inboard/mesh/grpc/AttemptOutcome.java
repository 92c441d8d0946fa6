package dev.inboard.mesh.grpc;

import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.resilience.UpstreamFailure;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import dev.inboard.mesh.upstream.UpstreamCluster;
import io.grpc.Status;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt's final status means for retries and outlier detection. A status without a cause came from the
 * server (its {@code grpc-status}, counted as the HTTP status Envoy maps it to); a status caused by a
 * {@link ConnectException} is a connect failure; any other cause is a reset of the stream or connection; a
 * {@code DEADLINE_EXCEEDED} when the attempt's deadline passed is a timeout (a per-try timeout when that deadline
 * was the per-try one; otherwise the request's, which is final: {@code outcome} is null).
 */
record AttemptOutcome(@Nullable Outcome outcome, @Nullable UpstreamFailure failure, int httpStatus) {
  /** The trailers retry conditions see for each status code ({@code grpc-status}), made once. */
  private static final Headers[] GRPC_STATUS = Arrays.stream(Status.Code.values())
      .map(code -> Headers.single(Map.of("grpc-status", String.valueOf(code.value()))))
      .toArray(Headers[]::new);

  /**
   * The outcome of an attempt that ended with {@code status}.
   *
   * @param deadlineExpired the attempt's deadline has passed
   * @param perTryLimited the attempt's deadline was the per-try timeout, earlier than the request's
   */
  static AttemptOutcome of(Status status, boolean deadlineExpired, boolean perTryLimited) {
    if (deadlineExpired && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      // The request's own timeout is never retried; a per-try timeout may be.
      return new AttemptOutcome(perTryLimited ? new Outcome.PerTryTimeout() : null, UpstreamFailure.TIMEOUT, 0);
    }
    Throwable cause = status.getCause();
    if (cause != null) {
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof ConnectException) {
          return new AttemptOutcome(new Outcome.ConnectFailure(), UpstreamFailure.CONNECT_FAILED, 0);
        }
      }
      return new AttemptOutcome(new Outcome.Reset(false), UpstreamFailure.REQUEST_FAILED, 0);
    }
    int http = GrpcStatuses.toHttp(status.getCode());
    return new AttemptOutcome(new Outcome.Response(200, GRPC_STATUS[status.getCode().ordinal()]), null, http);
  }

  /** Tells the cluster's outlier detection. */
  void report(UpstreamCluster cluster, Host host) {
    if (failure != null) {
      cluster.reportFailure(host, failure);
      return;
    }
    cluster.reportConnectSuccess(host);
    cluster.reportHttpStatus(host, httpStatus);
  }
}
