package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.RetryPolicy;
import java.util.Locale;
import java.util.Map;

/**
 * Whether an attempt's outcome may be retried under a route's {@code retry_on}, as Envoy's router decides it. The
 * retry count, the retry budget and the backoff are the caller's checks (the cluster's circuit breaker and
 * {@code RetryBackoff}); this answers only "is this outcome retriable".
 */
public final class RetryConditions {
  /** gRPC status codes by the names {@code retry_on} uses. */
  private static final Map<String, String> GRPC = Map.of(
      "cancelled", "1", "deadline-exceeded", "4", "resource-exhausted", "8", "internal", "13", "unavailable", "14");

  private RetryConditions() {}

  /** What happened to one attempt. */
  public sealed interface Outcome {
    /** The upstream answered; {@code headers} are its response headers and trailers (for {@code grpc-status}). */
    record Response(int status, Headers headers) implements Outcome {}

    /** The connection could not be made (refused, connect timeout, TLS handshake failure). */
    record ConnectFailure() implements Outcome {}

    /** The upstream reset the stream with REFUSED_STREAM: nothing was processed. */
    record RefusedStream() implements Outcome {}

    /** The stream was reset or the connection closed before a response; {@code beforeRequest}: nothing was sent. */
    record Reset(boolean beforeRequest) implements Outcome {}

    /** The per-try timeout expired; Envoy treats it as a 504 from the upstream. */
    record PerTryTimeout() implements Outcome {}
  }

  public static boolean retriable(RetryPolicy policy, Outcome outcome) {
    for (String condition : policy.retryOn()) {
      if (matches(condition.trim().toLowerCase(Locale.ROOT), policy, outcome)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String condition, RetryPolicy policy, Outcome outcome) {
    boolean noResponse = outcome instanceof Outcome.Reset || outcome instanceof Outcome.ConnectFailure
        || outcome instanceof Outcome.RefusedStream;
    int status = outcome instanceof Outcome.Response r ? r.status()
        : outcome instanceof Outcome.PerTryTimeout ? 504 : 0;
    Headers headers = outcome instanceof Outcome.Response r ? r.headers() : Headers.EMPTY;
    switch (condition) {
      case "5xx":
        return noResponse || status >= 500;
      case "gateway-error":
        return status == 502 || status == 503 || status == 504;
      case "reset":
        return outcome instanceof Outcome.Reset || outcome instanceof Outcome.PerTryTimeout;
      case "reset-before-request":
        return outcome instanceof Outcome.Reset reset && reset.beforeRequest();
      case "connect-failure":
        return outcome instanceof Outcome.ConnectFailure;
      case "refused-stream":
        return outcome instanceof Outcome.RefusedStream;
      case "retriable-4xx":
        return status == 409;
      case "retriable-status-codes":
        return status != 0 && policy.retriableStatusCodes().contains(status);
      case "retriable-headers":
        return outcome instanceof Outcome.Response && anyMatches(policy, headers);
      case "envoy-ratelimited":
        return headers.first("x-envoy-ratelimited") != null;
      default:
        String grpc = GRPC.get(condition);
        if (grpc == null) {
          return false;
        }
        String grpcStatus = headers.first("grpc-status");
        return grpcStatus != null && grpcStatus.trim().equals(grpc);
    }
  }

  private static boolean anyMatches(RetryPolicy policy, Headers headers) {
    for (HeaderMatcher matcher : policy.retriableHeaders()) {
      if (new CompiledHeaderMatcher(matcher).matches(headers)) {
        return true;
      }
    }
    return false;
  }
}
