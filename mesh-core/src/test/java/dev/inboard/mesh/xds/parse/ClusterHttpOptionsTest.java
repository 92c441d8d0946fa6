package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.UpstreamHttpOptions;
import dev.inboard.mesh.config.UpstreamHttpOptions.UpstreamProtocol;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The upstream HTTP protocol of clusters: the HttpProtocolOptions extension and the legacy cluster fields. */
class ClusterHttpOptionsTest {
  private static final String OPTIONS = "\"typedExtensionProtocolOptions\": {"
      + "\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\": {"
      + "\"@type\": \"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\", ";

  private final ClusterParser parser = new ClusterParser();

  @Test
  void explicitHttp2_istiodGrpcPort_keepsStreamLimitAndConnectionLimits() {
    assertThat(http(OPTIONS + """
        "commonHttpProtocolOptions": {"idleTimeout": "0s", "maxConnectionDuration": "600s",
                                      "maxRequestsPerConnection": 0},
        "explicitHttpConfig": {"http2ProtocolOptions": {"maxConcurrentStreams": 100}}}}
        """)).isEqualTo(new UpstreamHttpOptions(UpstreamProtocol.HTTP2, Duration.ZERO, OptionalLong.empty(),
            Optional.of(Duration.ofMinutes(10)), 100));
  }

  @Test
  void explicitHttp1_commonOptionsAbsent_defaultsApply() {
    assertThat(http(OPTIONS + """
        "explicitHttpConfig": {"httpProtocolOptions": {}}}}
        """)).isEqualTo(UpstreamHttpOptions.DEFAULT);
  }

  @Test
  void autoConfig_isAuto() {
    assertThat(http(OPTIONS + """
        "autoConfig": {"http2ProtocolOptions": {"maxConcurrentStreams": 64}}}}
        """)).isEqualTo(new UpstreamHttpOptions(UpstreamProtocol.AUTO, Duration.ofHours(1), OptionalLong.empty(),
            Optional.empty(), 64));
  }

  @Test
  void legacyHttp2ProtocolOptions_isHttp2() {
    assertThat(http("""
        "http2ProtocolOptions": {"maxConcurrentStreams": 1000}, "maxRequestsPerConnection": 5
        """)).isEqualTo(new UpstreamHttpOptions(UpstreamProtocol.HTTP2, Duration.ofHours(1), OptionalLong.of(5),
            Optional.empty(), 1000));
  }

  @Test
  void legacyProtocolSelection_useDownstream_isUseDownstream() {
    assertThat(http("""
        "protocolSelection": "USE_DOWNSTREAM_PROTOCOL", "http2ProtocolOptions": {}, "httpProtocolOptions": {},
        "commonHttpProtocolOptions": {"idleTimeout": "30s"}
        """)).isEqualTo(new UpstreamHttpOptions(UpstreamProtocol.USE_DOWNSTREAM, Duration.ofSeconds(30),
            OptionalLong.empty(), Optional.empty(), UpstreamHttpOptions.DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS));
  }

  @Test
  void typedAndLegacyOptions_together_areNacked() {
    assertThat(error(OPTIONS + """
        "explicitHttpConfig": {"http2ProtocolOptions": {}}}},
        "http2ProtocolOptions": {}
        """)).isEqualTo("Cluster 'c': typed_extension_protocol_options: only one of "
        + "envoy.extensions.upstreams.http.v3.HttpProtocolOptions and the cluster's legacy HTTP protocol options "
        + "may be set");
  }

  @Test
  void legacyHttp1AndHttp2_withConfiguredProtocol_areNacked() {
    assertThat(error("""
        "http2ProtocolOptions": {}, "httpProtocolOptions": {}
        """)).isEqualTo("Cluster 'c': http2_protocol_options: http_protocol_options and http2_protocol_options may "
        + "only both be set with protocol_selection USE_DOWNSTREAM_PROTOCOL");
  }

  @Test
  void explicitHttp3_isNacked() {
    assertThat(error(OPTIONS + """
        "explicitHttpConfig": {"http3ProtocolOptions": {}}}}
        """)).isEqualTo("Cluster 'c': typed_extension_protocol_options[envoy.extensions.upstreams.http.v3"
        + ".HttpProtocolOptions].explicit_http_config: HTTP/3 upstreams are not supported");
  }

  @Test
  void upstreamProtocolOptions_absent_isNacked() {
    assertThat(error(OPTIONS + """
        "commonHttpProtocolOptions": {}}}
        """)).isEqualTo("Cluster 'c': typed_extension_protocol_options[envoy.extensions.upstreams.http.v3"
        + ".HttpProtocolOptions].upstream_protocol_options: must be set");
  }

  @Test
  void maxConcurrentStreams_zero_isNacked() {
    assertThat(error(OPTIONS + """
        "useDownstreamProtocolConfig": {"http2ProtocolOptions": {"maxConcurrentStreams": 0}}}}
        """)).isEqualTo("Cluster 'c': typed_extension_protocol_options[envoy.extensions.upstreams.http.v3"
        + ".HttpProtocolOptions].use_downstream_protocol_config.http2_protocol_options.max_concurrent_streams: "
        + "must be in [1, 2147483647], was 0");
  }

  private UpstreamHttpOptions http(String fields) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json(fields)));
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ClusterConfig>) result).resource().http();
  }

  private String error(String fields) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json(fields)));
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<ClusterConfig>) result).error();
  }

  private static String json(String fields) {
    return "{\"name\": \"c\", \"type\": \"EDS\", \"edsClusterConfig\": {\"edsConfig\": {\"ads\": {}}},\n"
        + fields + "}";
  }
}
