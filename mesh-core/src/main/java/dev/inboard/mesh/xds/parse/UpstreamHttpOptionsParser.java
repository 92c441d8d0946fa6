package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inboard.mesh.config.UpstreamHttpOptions;
import dev.inboard.mesh.config.UpstreamHttpOptions.UpstreamProtocol;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The upstream HTTP protocol and connection limits of a cluster: from
 * {@code typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]}, or from the
 * cluster's legacy fields ({@code http2_protocol_options}, {@code protocol_selection}, ...). Envoy refuses both at
 * once, and so do we.
 */
final class UpstreamHttpOptionsParser {
  static final String EXTENSION_NAME = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  static final String TYPE_URL = "type.googleapis.com/"
      + io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor().getFullName();

  private UpstreamHttpOptionsParser() {}

  static UpstreamHttpOptions parse(Cluster c) throws XdsValidationException {
    Any typed = c.getTypedExtensionProtocolOptionsMap().get(EXTENSION_NAME);
    if (typed != null) {
      Validation.check(!hasLegacyOptions(c), "typed_extension_protocol_options",
          "only one of " + EXTENSION_NAME + " and the cluster's legacy HTTP protocol options may be set");
      return Validation.at(Validation.named("typed_extension_protocol_options", EXTENSION_NAME), () -> typed(typed));
    }
    return legacy(c);
  }

  private static UpstreamHttpOptions typed(Any any) throws XdsValidationException {
    Validation.check(TYPE_URL.equals(any.getTypeUrl()), "", "expected " + TYPE_URL + ", was " + any.getTypeUrl());
    io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions options;
    try {
      options = any.unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class);
    } catch (InvalidProtocolBufferException e) {
      throw XdsValidationException.of("cannot decode HttpProtocolOptions: " + e.getMessage());
    }
    UpstreamProtocol protocol;
    Optional<Http2> http2 = Optional.empty();
    switch (options.getUpstreamProtocolOptionsCase()) {
      case EXPLICIT_HTTP_CONFIG -> {
        ExplicitHttpConfig explicit = options.getExplicitHttpConfig();
        switch (explicit.getProtocolConfigCase()) {
          case HTTP_PROTOCOL_OPTIONS -> protocol = UpstreamProtocol.HTTP1;
          case HTTP2_PROTOCOL_OPTIONS -> {
            protocol = UpstreamProtocol.HTTP2;
            http2 = Optional.of(new Http2("explicit_http_config.http2_protocol_options",
                explicit.getHttp2ProtocolOptions()));
          }
          case HTTP3_PROTOCOL_OPTIONS -> throw new XdsValidationException("explicit_http_config",
              "HTTP/3 upstreams are not supported");
          default -> throw new XdsValidationException("explicit_http_config", "protocol_config must be set");
        }
      }
      case USE_DOWNSTREAM_PROTOCOL_CONFIG -> {
        protocol = UpstreamProtocol.USE_DOWNSTREAM;
        if (options.getUseDownstreamProtocolConfig().hasHttp2ProtocolOptions()) {
          http2 = Optional.of(new Http2("use_downstream_protocol_config.http2_protocol_options",
              options.getUseDownstreamProtocolConfig().getHttp2ProtocolOptions()));
        }
      }
      case AUTO_CONFIG -> {
        protocol = UpstreamProtocol.AUTO;
        if (options.getAutoConfig().hasHttp2ProtocolOptions()) {
          http2 = Optional.of(new Http2("auto_config.http2_protocol_options",
              options.getAutoConfig().getHttp2ProtocolOptions()));
        }
      }
      default -> throw new XdsValidationException("upstream_protocol_options", "must be set");
    }
    HttpProtocolOptions common = options.getCommonHttpProtocolOptions();
    OptionalLong maxRequests = common.hasMaxRequestsPerConnection()
        ? positive(Integer.toUnsignedLong(common.getMaxRequestsPerConnection().getValue()))
        : OptionalLong.empty();
    return build(protocol, "common_http_protocol_options", options.hasCommonHttpProtocolOptions(), common,
        maxRequests, http2);
  }

  // The cluster's own protocol fields are deprecated in Envoy's API but still sent by older control planes.
  @SuppressWarnings("deprecation")
  private static boolean hasLegacyOptions(Cluster c) {
    return c.hasHttpProtocolOptions() || c.hasHttp2ProtocolOptions() || c.hasCommonHttpProtocolOptions()
        || c.hasUpstreamHttpProtocolOptions() || c.hasMaxRequestsPerConnection()
        || c.getProtocolSelection() != Cluster.ClusterProtocolSelection.USE_CONFIGURED_PROTOCOL;
  }

  @SuppressWarnings("deprecation")
  private static UpstreamHttpOptions legacy(Cluster c) throws XdsValidationException {
    UpstreamProtocol protocol;
    switch (c.getProtocolSelection()) {
      case USE_DOWNSTREAM_PROTOCOL -> protocol = UpstreamProtocol.USE_DOWNSTREAM;
      case USE_CONFIGURED_PROTOCOL -> {
        Validation.check(!(c.hasHttpProtocolOptions() && c.hasHttp2ProtocolOptions()), "http2_protocol_options",
            "http_protocol_options and http2_protocol_options may only both be set with protocol_selection "
                + "USE_DOWNSTREAM_PROTOCOL");
        protocol = c.hasHttp2ProtocolOptions() ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1;
      }
      default -> throw new XdsValidationException("protocol_selection", "unknown value "
          + c.getProtocolSelectionValue());
    }
    HttpProtocolOptions common = c.getCommonHttpProtocolOptions();
    OptionalLong maxRequests = OptionalLong.empty();
    if (common.hasMaxRequestsPerConnection()) {
      maxRequests = positive(Integer.toUnsignedLong(common.getMaxRequestsPerConnection().getValue()));
    } else if (c.hasMaxRequestsPerConnection()) {
      maxRequests = positive(Integer.toUnsignedLong(c.getMaxRequestsPerConnection().getValue()));
    }
    Optional<Http2> http2 = c.hasHttp2ProtocolOptions()
        ? Optional.of(new Http2("http2_protocol_options", c.getHttp2ProtocolOptions())) : Optional.empty();
    return build(protocol, "common_http_protocol_options", c.hasCommonHttpProtocolOptions(), common, maxRequests,
        http2);
  }

  private static UpstreamHttpOptions build(UpstreamProtocol protocol, String commonPath, boolean hasCommon,
      HttpProtocolOptions common, OptionalLong maxRequests, Optional<Http2> http2)
      throws XdsValidationException {
    Duration idleTimeout = UpstreamHttpOptions.DEFAULT_IDLE_TIMEOUT;
    Optional<Duration> maxConnectionDuration = Optional.empty();
    if (hasCommon) {
      idleTimeout = FieldValues.duration(commonPath + ".idle_timeout", common.hasIdleTimeout(),
          common.getIdleTimeout(), idleTimeout);
      Duration max = FieldValues.duration(commonPath + ".max_connection_duration",
          common.hasMaxConnectionDuration(), common.getMaxConnectionDuration(), Duration.ZERO);
      maxConnectionDuration = max.isZero() ? Optional.empty() : Optional.of(max);
    }
    long streams = UpstreamHttpOptions.DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS;
    if (http2.isPresent() && http2.get().options().hasMaxConcurrentStreams()) {
      streams = Integer.toUnsignedLong(http2.get().options().getMaxConcurrentStreams().getValue());
      Validation.check(streams >= 1 && streams <= Integer.MAX_VALUE, http2.get().path() + ".max_concurrent_streams",
          "must be in [1, 2147483647], was " + streams);
    }
    return new UpstreamHttpOptions(protocol, idleTimeout, maxRequests, maxConnectionDuration, streams);
  }

  /** HTTP/2 settings and the field path they came from. */
  private record Http2(String path, Http2ProtocolOptions options) {}

  /** Envoy reads a zero request limit as "no limit". */
  private static OptionalLong positive(long value) {
    return value == 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
