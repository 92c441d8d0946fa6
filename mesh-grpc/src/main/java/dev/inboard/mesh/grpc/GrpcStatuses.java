package dev.inboard.mesh.grpc;

import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import io.grpc.Status;

/**
 * How the data plane's decisions become gRPC statuses and how gRPC statuses read as HTTP statuses.
 *
 * <p>A request the mesh does not send fails with {@code UNAVAILABLE} for every response flag, {@code NR} included:
 * that is what a proxyless gRPC client does when no xDS route matches (gRFC A28), and what callers of grpc-java's
 * own {@code xds:} channels expect; Envoy in a sidecar would map its 404 to {@code UNIMPLEMENTED} instead, which a
 * client cannot tell from a server lacking the method. The description always reads {@code FLAG: reason}.
 * Local answers of a route (direct responses) use Envoy's HTTP-to-gRPC mapping.
 */
final class GrpcStatuses {
  private GrpcStatuses() {}

  /** The status of a request the mesh failed locally: {@code UNAVAILABLE} with {@code FLAG: reason}. */
  static Status of(Failure failure) {
    return Status.UNAVAILABLE.withDescription(describe(failure.flag(), failure.reason()));
  }

  static String describe(ResponseFlag flag, String reason) {
    return flag.code() + ": " + reason;
  }

  /** Envoy's mapping of an HTTP status to a gRPC status for local and non-gRPC replies. */
  static Status.Code fromHttp(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.Code.INTERNAL;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
      default -> Status.Code.UNKNOWN;
    };
  }

  /** Envoy's mapping of a gRPC status to the HTTP status that outlier detection counts. */
  static int toHttp(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
      default -> 500;
    };
  }
}
