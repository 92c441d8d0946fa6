package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.FilterOverride;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.StringMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilterOverridesTest {

  @Test
  void istioFaultAndCors_parseToTypedOverrides() throws Exception {
    Map<String, FilterOverride> overrides = overrides("""
        {
          "envoy.filters.http.fault": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
            "delay": {"fixedDelay": "2s", "percentage": {"numerator": 500000, "denominator": "MILLION"}},
            "abort": {"grpcStatus": 14, "percentage": {"numerator": 10}},
            "maxActiveFaults": 100,
            "headers": [{"name": "end-user", "stringMatch": {"exact": "jason"}}],
            "downstreamNodes": ["productpage"],
            "upstreamCluster": "outbound|9080|v2|reviews.default.svc.cluster.local"
          },
          "envoy.filters.http.cors": {
            "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
            "allowOriginStringMatch": [{"exact": "https://bookinfo.example.com"},
                                       {"safeRegex": {"regex": "https://.*\\\\.example\\\\.org"}}],
            "allowMethods": "POST,GET,OPTIONS",
            "allowHeaders": "grpc-timeout,content-type,keep-alive,user-agent,cache-control,content-transfer-encoding",
            "exposeHeaders": "grpc-status,grpc-message",
            "maxAge": "86400",
            "allowCredentials": true,
            "filterEnabled": {"defaultValue": {"numerator": 100}},
            "allowPrivateNetworkAccess": true
          }
        }""");
    assertThat(overrides).isEqualTo(Map.of(
        "envoy.filters.http.fault", new FilterOverride.Fault(new FaultConfig(
            Optional.of(new FaultConfig.Delay.Fixed(Duration.ofSeconds(2), new Fraction(500_000))),
            Optional.of(new FaultConfig.Abort.GrpcStatus(14, new Fraction(100_000))),
            Optional.of(100),
            List.of(new HeaderMatcher("end-user", new HeaderMatcher.Match.Value(new StringMatcher.Exact("jason",
                false)), false, false)),
            List.of("productpage"),
            Optional.of("outbound|9080|v2|reviews.default.svc.cluster.local"))),
        "envoy.filters.http.cors", new FilterOverride.Cors(new CorsPolicy(
            List.of(new StringMatcher.Exact("https://bookinfo.example.com", false),
                new StringMatcher.Regex("https://.*\\.example\\.org")),
            Optional.of("POST,GET,OPTIONS"),
            Optional.of("grpc-timeout,content-type,keep-alive,user-agent,cache-control,content-transfer-encoding"),
            Optional.of("grpc-status,grpc-message"),
            Optional.of("86400"),
            Optional.of(true),
            Fraction.ALL,
            Optional.empty(),
            Optional.of(true),
            true))));
  }

  @Test
  void headerControlledFaults_andUnsetPercentage_meanZeroPercent() throws Exception {
    Map<String, FilterOverride> overrides = overrides("""
        {"envoy.filters.http.fault": {
           "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
           "delay": {"headerDelay": {}, "percentage": {"numerator": 100}},
           "abort": {"headerAbort": {}}}}""");
    assertThat(overrides.get("envoy.filters.http.fault")).isEqualTo(new FilterOverride.Fault(new FaultConfig(
        Optional.of(new FaultConfig.Delay.FromHeader(Fraction.ALL)),
        Optional.of(new FaultConfig.Abort.FromHeader(Fraction.NONE)),
        Optional.empty(), List.of(), List.of(), Optional.empty())));
  }

  @Test
  void filterConfigWrapper_disabledOrWrappingAConfig() throws Exception {
    Map<String, FilterOverride> overrides = overrides("""
        {
          "envoy.filters.http.rbac": {
            "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": true,
            "config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute"}},
          "envoy.filters.http.fault": {
            "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "isOptional": true,
            "config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                       "abort": {"httpStatus": 418, "percentage": {"numerator": 1}}}},
          "envoy.filters.http.stateful_session": {
            "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "isOptional": true,
            "config": {"@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
                       "typeUrl": "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSessionPerRoute"}}
        }""");
    assertThat(overrides).isEqualTo(Map.of(
        "envoy.filters.http.rbac", new FilterOverride.Disabled(),
        "envoy.filters.http.fault", new FilterOverride.Fault(new FaultConfig(Optional.empty(),
            Optional.of(new FaultConfig.Abort.HttpStatus(418, new Fraction(10_000))), Optional.empty(), List.of(),
            List.of(), Optional.empty())),
        "envoy.filters.http.stateful_session", new FilterOverride.Opaque(
            "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSessionPerRoute", true)));
  }

  @Test
  void rbacPerRoute_staysOpaque() throws Exception {
    assertThat(overrides("""
        {"envoy.filters.http.rbac": {
           "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute", "rbac": {}}}"""))
        .isEqualTo(Map.of("envoy.filters.http.rbac", new FilterOverride.Opaque(
            "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute", false)));
  }

  @Test
  void malformedOverrides_areRejected() {
    assertThatThrownBy(() -> overrides("""
        {"envoy.filters.http.rbac": {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig"}}"""))
        .hasMessage("typed_per_filter_config[envoy.filters.http.rbac].config: must be set unless disabled is true");
    assertThatThrownBy(() -> overrides("""
        {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                                      "delay": {"fixedDelay": "0s"}}}"""))
        .hasMessage("typed_per_filter_config[envoy.filters.http.fault].delay.fixed_delay: must be > 0, was 0s");
    assertThatThrownBy(() -> overrides("""
        {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                                      "abort": {"percentage": {"numerator": 5}}}}"""))
        .hasMessage("typed_per_filter_config[envoy.filters.http.fault].abort: http_status, grpc_status or "
            + "header_abort must be set");
    assertThatThrownBy(() -> overrides("""
        {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                                      "responseRateLimit": {"fixedLimit": {"limitKbps": "64"}}}}"""))
        .hasMessage("typed_per_filter_config[envoy.filters.http.fault].response_rate_limit: not supported");
    assertThatThrownBy(() -> overrides("""
        {"envoy.filters.http.cors": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
                                     "allowOriginStringMatch": [{"prefix": ""}]}}"""))
        .hasMessage("typed_per_filter_config[envoy.filters.http.cors].allow_origin_string_match[0].prefix: must not "
            + "be empty");
  }

  private static Map<String, FilterOverride> overrides(String typedPerFilterConfig) throws XdsValidationException {
    Route route = LdsRdsProtoJson.message("{\"typedPerFilterConfig\": " + typedPerFilterConfig + "}",
        Route.newBuilder());
    return FilterOverrides.map(route.getTypedPerFilterConfigMap());
  }
}
