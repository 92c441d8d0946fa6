package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a cluster speaks HTTP to its endpoints: the protocol (Envoy's {@code HttpProtocolOptions} extension or the
 * cluster's legacy fields) and connection reuse limits.
 *
 * @param idleTimeout close a connection without active requests after this long; Envoy's default is one hour,
 *     {@link Duration#ZERO} disables the timeout
 * @param maxRequestsPerConnection empty for no limit
 * @param maxConnectionDuration empty for no limit
 * @param http2MaxConcurrentStreams the most streams opened at once on one HTTP/2 connection
 */
public record UpstreamHttpOptions(
    UpstreamProtocol protocol,
    Duration idleTimeout,
    OptionalLong maxRequestsPerConnection,
    Optional<Duration> maxConnectionDuration,
    long http2MaxConcurrentStreams) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  public static final long DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = Integer.MAX_VALUE;
  /** Envoy's behaviour for a cluster without any HTTP options: HTTP/1.1 with default limits. */
  public static final UpstreamHttpOptions DEFAULT = new UpstreamHttpOptions(UpstreamProtocol.HTTP1,
      DEFAULT_IDLE_TIMEOUT, OptionalLong.empty(), Optional.empty(), DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS);

  public UpstreamHttpOptions {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxRequestsPerConnection, "maxRequestsPerConnection");
    Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
    }
    if (maxRequestsPerConnection.isPresent() && maxRequestsPerConnection.getAsLong() < 1) {
      throw new IllegalArgumentException("maxRequestsPerConnection must be >= 1, was "
          + maxRequestsPerConnection.getAsLong());
    }
    if (maxConnectionDuration.isPresent() && (maxConnectionDuration.get().isNegative()
        || maxConnectionDuration.get().isZero())) {
      throw new IllegalArgumentException("maxConnectionDuration must be > 0, was " + maxConnectionDuration.get());
    }
    if (http2MaxConcurrentStreams < 1 || http2MaxConcurrentStreams > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("http2MaxConcurrentStreams must be in [1, 2147483647], was "
          + http2MaxConcurrentStreams);
    }
  }

  /** The HTTP version used towards endpoints. */
  public enum UpstreamProtocol {
    HTTP1,
    HTTP2,
    /** The version the downstream request arrived with. */
    USE_DOWNSTREAM,
    /** Negotiated with the endpoint by ALPN: HTTP/2 when offered, else HTTP/1.1. */
    AUTO
  }
}
