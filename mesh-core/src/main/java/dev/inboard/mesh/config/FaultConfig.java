package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's HTTP fault injection ({@code envoy.extensions.filters.http.fault.v3.HTTPFault}): as the fault filter's own
 * config (Istio sends an empty one) or as a route's per-filter override (VirtualService {@code fault}). Percentages
 * are {@link Fraction}s; an unset percentage is 0%, as in Envoy.
 *
 * @param maxActiveFaults absent: no limit on concurrently active faults
 * @param headers all must match for a fault to be considered
 * @param downstreamNodes empty: faults apply to every downstream node
 * @param upstreamCluster absent: faults apply whatever the upstream cluster
 */
public record FaultConfig(
    Optional<Delay> delay,
    Optional<Abort> abort,
    Optional<Integer> maxActiveFaults,
    List<HeaderMatcher> headers,
    List<String> downstreamNodes,
    Optional<String> upstreamCluster) {

  public static final FaultConfig NONE =
      new FaultConfig(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty());

  public FaultConfig {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(abort, "abort");
    Objects.requireNonNull(maxActiveFaults, "maxActiveFaults");
    headers = List.copyOf(headers);
    downstreamNodes = List.copyOf(downstreamNodes);
    Objects.requireNonNull(upstreamCluster, "upstreamCluster");
  }

  /** A delay before the request proceeds. */
  public sealed interface Delay {
    Fraction percentage();

    /** A fixed delay. */
    record Fixed(Duration delay, Fraction percentage) implements Delay {
      public Fixed {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(percentage, "percentage");
        if (delay.isNegative() || delay.isZero()) {
          throw new IllegalArgumentException("fault delay must be > 0, was " + delay);
        }
      }
    }

    /** The delay comes from the {@code x-envoy-fault-delay-request} request header. */
    record FromHeader(Fraction percentage) implements Delay {
      public FromHeader {
        Objects.requireNonNull(percentage, "percentage");
      }
    }
  }

  /** An aborted request. */
  public sealed interface Abort {
    Fraction percentage();

    /** Respond with an HTTP status in [200, 600). */
    record HttpStatus(int status, Fraction percentage) implements Abort {
      public HttpStatus {
        Objects.requireNonNull(percentage, "percentage");
        if (status < 200 || status >= 600) {
          throw new IllegalArgumentException("fault abort http_status must be in [200, 600), was " + status);
        }
      }
    }

    /** Fail a gRPC call with this status code. */
    record GrpcStatus(int status, Fraction percentage) implements Abort {
      public GrpcStatus {
        Objects.requireNonNull(percentage, "percentage");
        if (status < 0) {
          throw new IllegalArgumentException("fault abort grpc_status must not be negative, was " + status);
        }
      }
    }

    /** The status comes from the {@code x-envoy-fault-abort-request} (or {@code -grpc-request}) header. */
    record FromHeader(Fraction percentage) implements Abort {
      public FromHeader {
        Objects.requireNonNull(percentage, "percentage");
      }
    }
  }
}
