package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HashPolicy;
import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RegexRewrite;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteAction.ClusterSpecifier;
import dev.inboard.mesh.config.RouteAction.HostRewrite;
import dev.inboard.mesh.config.RouteAction.PathRewrite;
import dev.inboard.mesh.config.StringMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteActionParserTest {
  private static final String RATINGS = "outbound|9080||ratings.default.svc.cluster.local";

  @Test
  void forward_unsetOptions_keepEnvoyDefaultsAbsent() throws Exception {
    assertThat(forward("{\"cluster\": \"%s\"}".formatted(RATINGS))).isEqualTo(new RouteAction.Forward(
        new ClusterSpecifier.Single(RATINGS), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
        List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  @SuppressWarnings("deprecation")
  void forward_rewritesTimeoutsHashingAndCors_areKept() throws Exception {
    RouteAction.Forward f = forward("""
        {"cluster": "%s",
         "prefixRewrite": "/v2/",
         "hostRewriteLiteral": "ratings.internal",
         "timeout": "3.5s",
         "idleTimeout": "0s",
         "hashPolicy": [
           {"header": {"headerName": "X-User", "regexRewrite": {"pattern": {"regex": "^(\\\\w+)@.*$"},
                                                                "substitution": "\\\\1"}}},
           {"cookie": {"name": "session", "ttl": "3600s", "path": "/"}, "terminal": true},
           {"connectionProperties": {"sourceIp": true}},
           {"queryParameter": {"name": "user"}},
           {"filterState": {"key": "io.istio.peer_principal"}}
         ],
         "maxStreamDuration": {"maxStreamDuration": "30s", "grpcTimeoutHeaderMax": "10s",
                               "grpcTimeoutHeaderOffset": "0.050s"},
         "cors": {"allowOriginStringMatch": [{"prefix": "https://"}], "exposeHeaders": "x-ratelimit",
                  "maxAge": "86400", "filterEnabled": {"defaultValue": {"numerator": 50}},
                  "shadowEnabled": {"defaultValue": {"numerator": 100}}, "forwardNotMatchingPreflights": false}}
        """.formatted(RATINGS));
    assertThat(f).isEqualTo(new RouteAction.Forward(
        new ClusterSpecifier.Single(RATINGS),
        Optional.of(Duration.ofMillis(3500)),
        Optional.of(Duration.ZERO),
        Optional.empty(),
        List.of(
            new HashPolicy.Header("x-user", Optional.of(new RegexRewrite("^(\\w+)@.*$", "\\1")), false),
            new HashPolicy.Cookie("session", Optional.of(Duration.ofHours(1)), Optional.of("/"), true),
            new HashPolicy.ConnectionProperties(true, false),
            new HashPolicy.QueryParameter("user", false),
            new HashPolicy.FilterState("io.istio.peer_principal", false)),
        List.of(),
        Optional.of(new PathRewrite.Prefix("/v2/")),
        Optional.of(new HostRewrite.Literal("ratings.internal")),
        Optional.of(new RouteAction.MaxStreamDuration(Optional.of(Duration.ofSeconds(30)),
            Optional.of(Duration.ofSeconds(10)), Optional.of(Duration.ofMillis(50)))),
        Optional.of(new CorsPolicy(List.of(new StringMatcher.Prefix("https://", false)), Optional.empty(),
            Optional.empty(), Optional.of("x-ratelimit"), Optional.of("86400"), Optional.empty(),
            new Fraction(500_000), Optional.of(Fraction.ALL), Optional.empty(), false))));
  }

  @Test
  void hostRewrites_eachSpecifier() throws Exception {
    assertThat(forward("{\"cluster\": \"c\", \"autoHostRewrite\": true}").hostRewrite())
        .contains(new HostRewrite.Auto());
    assertThat(forward("{\"cluster\": \"c\", \"autoHostRewrite\": false}").hostRewrite()).isEmpty();
    assertThat(forward("{\"cluster\": \"c\", \"hostRewriteHeader\": \"X-Host\"}").hostRewrite())
        .contains(new HostRewrite.Header("x-host"));
    assertThat(forward("""
        {"cluster": "c", "hostRewritePathRegex": {"pattern": {"regex": "^/(.+)/.+$"}, "substitution": "\\\\1"}}""")
        .hostRewrite()).contains(new HostRewrite.PathRegex(new RegexRewrite("^/(.+)/.+$", "\\1")));
    assertThat(forward("""
        {"cluster": "c", "regexRewrite": {"pattern": {"regex": "^/service/([^/]+)(/.*)$"},
                                          "substitution": "\\\\2/instance/\\\\1"}}""").pathRewrite())
        .contains(new PathRewrite.Regex(new RegexRewrite("^/service/([^/]+)(/.*)$", "\\2/instance/\\1")));
  }

  @Test
  void weightedClusters_perClusterHeadersAndHostRewrite_areKept() throws Exception {
    RouteAction.Forward f = forward("""
        {"weightedClusters": {"clusters": [
          {"name": "outbound|9080|v1|reviews.default.svc.cluster.local", "weight": 4294967290},
          {"name": "outbound|9080|v2|reviews.default.svc.cluster.local", "weight": 5,
           "responseHeadersToRemove": ["x-internal"], "hostRewriteLiteral": "reviews-v2"}]}}""");
    assertThat(f.cluster()).isEqualTo(new ClusterSpecifier.Weighted(List.of(
        new RouteAction.WeightedCluster("outbound|9080|v1|reviews.default.svc.cluster.local", 4_294_967_290L,
            HeaderMutation.NONE, HeaderMutation.NONE, java.util.Map.of(), Optional.empty()),
        new RouteAction.WeightedCluster("outbound|9080|v2|reviews.default.svc.cluster.local", 5,
            HeaderMutation.NONE, new HeaderMutation(List.of(), List.of("x-internal")), java.util.Map.of(),
            Optional.of("reviews-v2")))));
    assertThat(((ClusterSpecifier.Weighted) f.cluster()).totalWeight()).isEqualTo(4_294_967_295L);
  }

  @Test
  void weightedClusters_totalAboveUint32_isRejected() {
    assertThatThrownBy(() -> forward("""
        {"weightedClusters": {"clusters": [{"name": "a", "weight": 4294967295}, {"name": "b", "weight": 1}]}}"""))
        .hasMessage("weighted_clusters: total weight must be <= 4294967295, was 4294967296");
  }

  @Test
  void retryPolicy_backOffPerTryAndHeaders_areKept() throws Exception {
    RouteAction.Forward f = forward("""
        {"cluster": "c", "retryPolicy": {
          "retryOn": "5xx,retriable-headers,unknown-future-condition",
          "numRetries": 0,
          "perTryTimeout": "0s",
          "perTryIdleTimeout": "1s",
          "retryBackOff": {"baseInterval": "0.0005s", "maxInterval": "2s"},
          "retryPriority": {"name": "envoy.retry_priorities.previous_priorities"},
          "retriableHeaders": [{"name": "x-retry-me", "presentMatch": true}],
          "retriableRequestHeaders": [{"name": ":method", "stringMatch": {"exact": "GET"}}]}}""");
    assertThat(f.retryPolicy()).contains(new RetryPolicy(
        Set.of("5xx", "retriable-headers", "unknown-future-condition"), 0, Optional.empty(),
        Optional.of(Duration.ofSeconds(1)), Duration.ofMillis(1), Duration.ofSeconds(2), List.of(), 0, List.of(),
        Optional.of("envoy.retry_priorities.previous_priorities"),
        List.of(new HeaderMatcher("x-retry-me", new HeaderMatcher.Match.Present(true), false, false)),
        List.of(new HeaderMatcher(":method", new HeaderMatcher.Match.Value(new StringMatcher.Exact("GET", false)),
            false, false))));
  }

  @Test
  void retryPolicy_baseIntervalOnly_maxDefaultsToTenTimes() throws Exception {
    RouteAction.Forward f = forward("""
        {"cluster": "c", "retryPolicy": {"retryOn": "reset", "retryBackOff": {"baseInterval": "0.1s"}}}""");
    RetryPolicy retry = f.retryPolicy().orElseThrow();
    assertThat(retry.baseInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.maxInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(retry.numRetries()).isEqualTo(1);
  }

  @Test
  void retryPolicy_badBackOff_isRejected() {
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "retryPolicy": {"retryBackOff": {"baseInterval": "0s"}}}"""))
        .hasMessage("retry_policy.retry_back_off.base_interval: must be > 0, was 0s");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "retryPolicy": {"retryBackOff": {"maxInterval": "1s"}}}"""))
        .hasMessage("retry_policy.retry_back_off.base_interval: must be set");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "retryPolicy": {"retryBackOff": {"baseInterval": "0.025s", "maxInterval": "0.010s"}}}"""))
        .hasMessage("retry_policy.retry_back_off.max_interval: must be >= base_interval (0.025s), was 0.010s");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "retryPolicy": {"retryBackOff": {"baseInterval": "-0.025s"}}}"""))
        .hasMessage("retry_policy.retry_back_off.base_interval: must not be negative, was 0s -25000000ns");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "retryPolicy": {"hostSelectionRetryMaxAttempts": "-1"}}"""))
        .hasMessage("retry_policy.host_selection_retry_max_attempts: must not be negative, was -1");
  }

  @Test
  void mirrorPolicies_fractionAndTraceSampling() throws Exception {
    RouteAction.Forward f = forward("""
        {"cluster": "c", "requestMirrorPolicies": [
          {"cluster": "outbound|9080|v2|reviews.default.svc.cluster.local",
           "runtimeFraction": {"defaultValue": {"numerator": 25, "denominator": "TEN_THOUSAND"}},
           "traceSampled": true, "disableShadowHostSuffixAppend": true},
          {"cluster": "outbound|9080|v3|reviews.default.svc.cluster.local"}]}""");
    assertThat(f.mirrorPolicies()).containsExactly(
        new MirrorPolicy("outbound|9080|v2|reviews.default.svc.cluster.local", new Fraction(2_500),
            Optional.of(true), true),
        new MirrorPolicy("outbound|9080|v3|reviews.default.svc.cluster.local", Fraction.ALL, Optional.empty(),
            false));
  }

  @Test
  void unsupportedOrConflictingForwardOptions_areRejected() {
    assertThatThrownBy(() -> forward("{\"timeout\": \"1s\"}"))
        .hasMessage("one of cluster, cluster_header or weighted_clusters must be set");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "prefixRewrite": "/", "regexRewrite": {"pattern": {"regex": "a"}, "substitution": "b"}}"""))
        .hasMessage("regex_rewrite: only one of prefix_rewrite and regex_rewrite may be set");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "requestMirrorPolicies": [{"clusterHeader": "x-mirror"}]}"""))
        .hasMessage("request_mirror_policies[0].cluster_header: not supported; name the cluster");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "metadataMatch": {"filterMetadata": {"envoy.lb": {"version": "v1"}}}}"""))
        .hasMessage("metadata_match: not supported");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "hashPolicy": [{"terminal": true}]}"""))
        .hasMessage("hash_policy[0]: one of header, cookie, connection_properties, query_parameter or filter_state "
            + "must be set");
    assertThatThrownBy(() -> forward("""
        {"cluster": "c", "regexRewrite": {"pattern": {"regex": "(unclosed"}, "substitution": "b"}}"""))
        .hasMessage("regex_rewrite.pattern.regex: invalid RE2 regex '(unclosed': missing closing )");
    assertThatThrownBy(() -> forward("{\"cluster\": \"c\", \"idleTimeout\": \"-2s\"}"))
        .hasMessage("idle_timeout: must not be negative, was -2s 0ns");
  }

  @Test
  void redirect_portOutOfRange_isRejected() {
    assertThatThrownBy(() -> RouteActionParser.redirect(LdsRdsProtoJson.message("{\"portRedirect\": 70000}",
        io.envoyproxy.envoy.config.route.v3.RedirectAction.newBuilder())))
        .hasMessage("port_redirect: must be <= 65535, was 70000");
  }

  @Test
  void directResponse_fileBody_isRejected() {
    assertThatThrownBy(() -> RouteActionParser.directResponse(LdsRdsProtoJson.message(
            "{\"status\": 200, \"body\": {\"filename\": \"/etc/passwd\"}}",
            io.envoyproxy.envoy.config.route.v3.DirectResponseAction.newBuilder()), 4096))
        .hasMessage("body.filename: not supported; inline the body");
  }

  private static RouteAction.Forward forward(String json) throws XdsValidationException {
    return RouteActionParser.forward(
        LdsRdsProtoJson.message(json, io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()));
  }
}
