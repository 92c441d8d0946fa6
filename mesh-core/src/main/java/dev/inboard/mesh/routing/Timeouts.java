package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.RouteAction;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A route's timeouts: the request timeout (Envoy's 15 s when unset, none when zero) and the max stream duration
 * (the route's, else the connection manager's; none when zero). When the route sets {@code grpc_timeout_header_max}
 * a gRPC request's {@code grpc-timeout} header takes over both, as Envoy's router and connection manager do: for the
 * request timeout the offset is subtracted (unless that would reach zero or below) and the result capped by the
 * maximum (a missing header or zero meaning no timeout unless a maximum applies); for the stream duration the
 * header is capped first and the offset subtracted after.
 */
final class Timeouts {
  private final Optional<Duration> timeout;
  private final Optional<Duration> maxStreamDuration;
  private final @Nullable Duration grpcMax;
  private final @Nullable Duration grpcOffset;

  Timeouts(RouteAction.Forward forward, Optional<Duration> connectionMaxStreamDuration) {
    Duration configured = forward.timeout().orElse(RouteAction.Forward.DEFAULT_TIMEOUT);
    this.timeout = nonZero(configured);
    Optional<RouteAction.MaxStreamDuration> msd = forward.maxStreamDuration();
    Optional<Duration> routeMsd = msd.flatMap(RouteAction.MaxStreamDuration::maxStreamDuration);
    this.maxStreamDuration = routeMsd.isPresent() ? nonZero(routeMsd.get())
        : connectionMaxStreamDuration.flatMap(Timeouts::nonZero);
    this.grpcMax = msd.flatMap(RouteAction.MaxStreamDuration::grpcTimeoutHeaderMax).orElse(null);
    this.grpcOffset = msd.flatMap(RouteAction.MaxStreamDuration::grpcTimeoutHeaderOffset).orElse(null);
  }

  Optional<Duration> timeout() {
    return timeout;
  }

  Optional<Duration> maxStreamDuration() {
    return maxStreamDuration;
  }

  /** Whether a gRPC request may change the timeouts. */
  boolean honoursGrpcTimeout() {
    return grpcMax != null;
  }

  Optional<Duration> grpcRequestTimeout(@Nullable Duration header) {
    Duration max = grpcMax == null ? Duration.ZERO : grpcMax;
    Duration t = header == null ? Duration.ZERO : header;
    if (grpcOffset != null && grpcOffset.compareTo(t) < 0) {
      t = t.minus(grpcOffset);
    }
    if (!max.isZero() && (t.isZero() || t.compareTo(max) > 0)) {
      t = max;
    }
    return nonZero(t);
  }

  Optional<Duration> grpcMaxStreamDuration(@Nullable Duration header) {
    if (header == null) {
      return maxStreamDuration;
    }
    Duration max = grpcMax == null ? Duration.ZERO : grpcMax;
    Duration t = header;
    if (!max.isZero() && t.compareTo(max) > 0) {
      t = max;
    }
    if (grpcOffset != null && grpcOffset.compareTo(t) < 0) {
      t = t.minus(grpcOffset);
    }
    return nonZero(t);
  }

  static final String TIMEOUT_HEADER = "x-envoy-upstream-rq-timeout-ms";
  static final String PER_TRY_TIMEOUT_HEADER = "x-envoy-upstream-rq-per-try-timeout-ms";

  /** Whether the request carries Envoy's timeout override headers. */
  static boolean hasTimeoutHeaders(Headers headers) {
    return headers.first(TIMEOUT_HEADER) != null || headers.first(PER_TRY_TIMEOUT_HEADER) != null;
  }

  /** A header's milliseconds, or null when absent or not a non-negative integer (Envoy then ignores it). */
  static @Nullable Duration headerMillis(@Nullable String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      return null;
    }
    long millis = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      millis = millis * 10 + (c - '0');
    }
    return Duration.ofMillis(millis);
  }

  /** The per-try timeout Envoy applies: none when it is not below a (non-zero) request timeout. */
  static Optional<Duration> effectivePerTry(Optional<Duration> perTry, Optional<Duration> timeout) {
    if (perTry.isPresent() && (perTry.get().isZero()
        || (timeout.isPresent() && perTry.get().compareTo(timeout.get()) >= 0))) {
      return Optional.empty();
    }
    return perTry;
  }

  /** The {@code grpc-timeout} header ({@code 1-8 digits} and a unit of H, M, S, m, u, n); null when absent or bad. */
  static @Nullable Duration parseGrpcTimeout(@Nullable String value) {
    if (value == null || value.length() < 2 || value.length() > 9) {
      return null;
    }
    long amount = 0;
    for (int i = 0; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      amount = amount * 10 + (c - '0');
    }
    switch (value.charAt(value.length() - 1)) {
      case 'H':
        return Duration.ofHours(amount);
      case 'M':
        return Duration.ofMinutes(amount);
      case 'S':
        return Duration.ofSeconds(amount);
      case 'm':
        return Duration.ofMillis(amount);
      case 'u':
        return Duration.ofNanos(amount * 1_000);
      case 'n':
        return Duration.ofNanos(amount);
      default:
        return null;
    }
  }

  private static Optional<Duration> nonZero(Duration d) {
    return d.isZero() || d.isNegative() ? Optional.empty() : Optional.of(d);
  }
}
