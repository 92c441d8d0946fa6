package dev.inboard.mesh.xds.parse;

import static dev.inboard.mesh.xds.parse.LdsRdsProtoJson.routeConfigurationAny;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.FilterOverride;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HeaderMatcher;
import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.HeaderMutation.AppendAction;
import dev.inboard.mesh.config.HeaderMutation.HeaderValue;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RegexRewrite;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteAction.ClusterSpecifier;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.VirtualHostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteConfigurationParserTest {
  private static final String REVIEWS = "reviews.default.svc.cluster.local";
  private static final String ISTIO_RETRY = """
      {"retryOn": "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
       "numRetries": 2,
       "retryHostPredicate": [{"name": "envoy.retry_host_predicates.previous_hosts", "typedConfig": {
         "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}}],
       "hostSelectionRetryMaxAttempts": "5",
       "retriableStatusCodes": [503]}""";
  private static final String ISTIO_MAX_STREAM_DURATION =
      "{\"maxStreamDuration\": \"0s\", \"grpcTimeoutHeaderMax\": \"0s\"}";
  private static final RetryPolicy ISTIO_RETRY_POLICY = new RetryPolicy(
      Set.of("connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"),
      2, Optional.empty(), Optional.empty(), Duration.ofMillis(25), Duration.ofMillis(250), List.of(503), 5,
      List.of("envoy.retry_host_predicates.previous_hosts"), Optional.empty(), List.of(), List.of());
  private static final Optional<RouteAction.MaxStreamDuration> ISTIO_STREAM_DURATION = Optional.of(
      new RouteAction.MaxStreamDuration(Optional.of(Duration.ZERO), Optional.of(Duration.ZERO), Optional.empty()));
  private static final RouteMatch PREFIX_SLASH = prefix("/");

  private final RouteConfigurationParser parser = new RouteConfigurationParser();

  @Test
  void parser_kindAndTypeUrl_areRouteConfiguration() {
    assertThat(parser.kind()).isEqualTo("RouteConfiguration");
    assertThat(parser.typeUrl()).isEqualTo("type.googleapis.com/envoy.config.route.v3.RouteConfiguration");
  }

  @Test
  void istioSidecarRouteTable9080_virtualServiceRoutes_parseToExactRecord() {
    Any any = routeConfigurationAny("""
        {
          "name": "9080",
          "virtualHosts": [
            {
              "name": "%1$s:9080",
              "domains": ["%1$s", "%1$s:9080", "reviews", "reviews:9080", "reviews.default.svc",
                          "reviews.default.svc:9080", "reviews.default", "reviews.default:9080", "10.96.0.10",
                          "10.96.0.10:9080"],
              "routes": [
                {
                  "name": "jason",
                  "match": {"prefix": "/", "caseSensitive": true,
                            "headers": [{"name": "end-user", "stringMatch": {"exact": "jason"}}]},
                  "route": {"cluster": "outbound|9080|v2|%1$s", "timeout": "0s", "retryPolicy": %2$s,
                            "maxStreamDuration": %3$s},
                  "metadata": {"filterMetadata": {"istio": {
                    "config": "/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews"}}},
                  "decorator": {"operation": "%1$s:9080/*"},
                  "typedPerFilterConfig": {"envoy.filters.http.fault": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                    "delay": {"fixedDelay": "7s", "percentage": {"numerator": 1000000, "denominator": "MILLION"}}}}
                },
                {
                  "name": "canary",
                  "match": {"prefix": "/"},
                  "route": {
                    "weightedClusters": {"clusters": [
                      {"name": "outbound|9080|v1|%1$s", "weight": 50},
                      {"name": "outbound|9080|v3|%1$s", "weight": 50,
                       "requestHeadersToAdd": [{"header": {"key": "x-canary", "value": "v3"},
                                                "appendAction": "OVERWRITE_IF_EXISTS_OR_ADD"}]}
                    ]},
                    "timeout": "0s",
                    "retryPolicy": %2$s,
                    "requestMirrorPolicies": [{
                      "cluster": "outbound|9080|v2|%1$s",
                      "runtimeFraction": {"defaultValue": {"numerator": 500000, "denominator": "MILLION"}},
                      "traceSampled": false}],
                    "maxStreamDuration": %3$s
                  },
                  "decorator": {"operation": "reviews:9080/*"},
                  "typedPerFilterConfig": {"envoy.filters.http.fault": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
                    "abort": {"httpStatus": 503, "percentage": {"numerator": 100000, "denominator": "MILLION"}}}}
                }
              ],
              "includeRequestAttemptCount": true
            },
            {
              "name": "allow_any",
              "domains": ["*"],
              "routes": [{"name": "allow_any", "match": {"prefix": "/"},
                          "route": {"cluster": "PassthroughCluster", "timeout": "0s",
                                    "maxStreamDuration": %3$s}}],
              "includeRequestAttemptCount": true
            }
          ],
          "validateClusters": false,
          "maxDirectResponseBodySizeBytes": 1048576,
          "ignorePortInHostMatching": true
        }
        """.formatted(REVIEWS, ISTIO_RETRY, ISTIO_MAX_STREAM_DURATION));

    RouteRule jason = new RouteRule("jason",
        new RouteMatch(new RouteMatch.PathMatcher.Prefix("/"), true,
            List.of(new HeaderMatcher("end-user", new HeaderMatcher.Match.Value(new StringMatcher.Exact("jason", false)),
                false, false)),
            List.of(), Optional.empty(), false),
        forward(new ClusterSpecifier.Single("outbound|9080|v2|" + REVIEWS), List.of()),
        Optional.of(REVIEWS + ":9080/*"),
        HeaderMutation.NONE, HeaderMutation.NONE,
        Map.of("envoy.filters.http.fault", new FilterOverride.Fault(new FaultConfig(
            Optional.of(new FaultConfig.Delay.Fixed(Duration.ofSeconds(7), Fraction.ALL)), Optional.empty(),
            Optional.empty(), List.of(), List.of(), Optional.empty()))),
        new Metadata(Map.of("istio",
            Map.of("config", "/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews"))));
    RouteRule canary = new RouteRule("canary", PREFIX_SLASH,
        forward(new ClusterSpecifier.Weighted(List.of(
                weighted("outbound|9080|v1|" + REVIEWS, 50, HeaderMutation.NONE),
                weighted("outbound|9080|v3|" + REVIEWS, 50, new HeaderMutation(
                    List.of(new HeaderValue("x-canary", "v3", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD, false)),
                    List.of())))),
            List.of(new MirrorPolicy("outbound|9080|v2|" + REVIEWS, new Fraction(500_000), Optional.of(false),
                false))),
        Optional.of("reviews:9080/*"),
        HeaderMutation.NONE, HeaderMutation.NONE,
        Map.of("envoy.filters.http.fault", new FilterOverride.Fault(new FaultConfig(Optional.empty(),
            Optional.of(new FaultConfig.Abort.HttpStatus(503, new Fraction(100_000))), Optional.empty(), List.of(),
            List.of(), Optional.empty()))),
        Metadata.EMPTY);
    RouteRule allowAny = new RouteRule("allow_any", PREFIX_SLASH,
        new RouteAction.Forward(new ClusterSpecifier.Single("PassthroughCluster"), Optional.of(Duration.ZERO),
            Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
            ISTIO_STREAM_DURATION, Optional.empty()),
        Optional.empty(), HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), Metadata.EMPTY);
    RouteConfig expected = new RouteConfig("9080",
        List.of(
            vhost(REVIEWS + ":9080", List.of(REVIEWS, REVIEWS + ":9080", "reviews", "reviews:9080",
                "reviews.default.svc", "reviews.default.svc:9080", "reviews.default", "reviews.default:9080",
                "10.96.0.10", "10.96.0.10:9080"), List.of(jason, canary)),
            vhost("allow_any", List.of("*"), List.of(allowAny))),
        HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), List.of(), true, false);

    RouteConfig config = valid(any);
    assertThat(config).isEqualTo(expected);
    assertThat(config.clusterNames()).containsExactly("outbound|9080|v2|" + REVIEWS, "outbound|9080|v1|" + REVIEWS,
        "outbound|9080|v3|" + REVIEWS, "PassthroughCluster");
  }

  @Test
  void grpcGeneratorRouteConfig_defaultRoute_parsesIstioDefaults() {
    Any any = routeConfigurationAny("""
        {
          "name": "outbound|9080||%1$s",
          "virtualHosts": [{
            "name": "%1$s:9080",
            "domains": ["%1$s", "reviews", "reviews.default.svc", "reviews.default", "10.96.0.10"],
            "routes": [{
              "name": "default",
              "match": {"prefix": "/"},
              "route": {"cluster": "outbound|9080||%1$s", "timeout": "0s", "retryPolicy": %2$s,
                        "maxStreamDuration": %3$s},
              "decorator": {"operation": "%1$s:9080/*"}
            }],
            "includeRequestAttemptCount": true
          }]
        }
        """.formatted(REVIEWS, ISTIO_RETRY, ISTIO_MAX_STREAM_DURATION));

    RouteConfig expected = new RouteConfig("outbound|9080||" + REVIEWS,
        List.of(vhost(REVIEWS + ":9080", List.of(REVIEWS, "reviews", "reviews.default.svc", "reviews.default",
                "10.96.0.10"),
            List.of(new RouteRule("default", PREFIX_SLASH,
                forward(new ClusterSpecifier.Single("outbound|9080||" + REVIEWS), List.of()),
                Optional.of(REVIEWS + ":9080/*"), HeaderMutation.NONE, HeaderMutation.NONE, Map.of(),
                Metadata.EMPTY)))),
        HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), List.of(), false, false);

    RouteConfig config = valid(any);
    assertThat(config).isEqualTo(expected);
    assertThat(config.clusterNames()).containsExactly("outbound|9080||" + REVIEWS);
  }

  @Test
  void redirectsAndDirectResponses_parseWithEnvoyDefaults() {
    Any any = routeConfigurationAny("""
        {
          "name": "9080",
          "virtualHosts": [{
            "name": "productpage.default.svc.cluster.local:9080",
            "domains": ["productpage.default.svc.cluster.local", "productpage"],
            "routes": [
              {"name": "login", "match": {"path": "/login"},
               "redirect": {"httpsRedirect": true, "hostRedirect": "bookinfo.example.com", "portRedirect": 8443,
                            "pathRedirect": "/signin", "responseCode": "FOUND", "stripQuery": true}},
              {"name": "old-api", "match": {"prefix": "/api/v0/"}, "redirect": {"prefixRewrite": "/api/v1/"}},
              {"name": "products", "match": {"safeRegex": {"regex": "^/products/([0-9]+)$"}},
               "redirect": {"schemeRedirect": "http",
                            "regexRewrite": {"pattern": {"regex": "^/products/([0-9]+)$"},
                                             "substitution": "/api/v1/products/\\\\1"},
                            "responseCode": "PERMANENT_REDIRECT"}},
              {"name": "health", "match": {"path": "/healthz"},
               "directResponse": {"status": 200, "body": {"inlineString": "ok"}}},
              {"name": "admin", "match": {"prefix": "/admin"}, "directResponse": {"status": 403}}
            ]
          }]
        }
        """);

    List<RouteAction> actions = valid(any).virtualHosts().get(0).routes().stream().map(RouteRule::action).toList();
    assertThat(actions).containsExactly(
        new RouteAction.Redirect(Optional.of("https"), Optional.of("bookinfo.example.com"), Optional.of(8443),
            Optional.of(new RouteAction.PathRedirect.Path("/signin")), 302, true),
        new RouteAction.Redirect(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(new RouteAction.PathRedirect.Prefix("/api/v1/")), 301, false),
        new RouteAction.Redirect(Optional.of("http"), Optional.empty(), Optional.empty(),
            Optional.of(new RouteAction.PathRedirect.Regex(
                new RegexRewrite("^/products/([0-9]+)$", "/api/v1/products/\\1"))), 308, false),
        new RouteAction.DirectResponse(200, Optional.of("ok")),
        new RouteAction.DirectResponse(403, Optional.empty()));
    assertThat(valid(any).clusterNames()).isEmpty();
  }

  @Test
  void headerMutations_atEveryLevel_resolveAppendActions() {
    Any any = routeConfigurationAny("""
        {
          "name": "9080",
          "requestHeadersToAdd": [{"header": {"key": "X-Mesh", "value": "inboard"}, "append": false}],
          "responseHeadersToRemove": ["server"],
          "virtualHosts": [{
            "name": "ratings", "domains": ["ratings"],
            "requestHeadersToAdd": [{"header": {"key": "x-forwarded-client", "value": "%DOWNSTREAM_REMOTE_ADDRESS%"},
                                     "appendAction": "ADD_IF_ABSENT"}],
            "routes": [{
              "match": {"prefix": "/"}, "route": {"cluster": "outbound|9080||ratings.default.svc.cluster.local"},
              "requestHeadersToRemove": ["X-Debug"],
              "responseHeadersToAdd": [{"header": {"key": "x-served-by", "rawValue": "cmF0aW5ncw=="}},
                                       {"header": {"key": "x-empty"}, "appendAction": "OVERWRITE_IF_EXISTS",
                                        "keepEmptyValue": true}]
            }]
          }]
        }
        """);

    RouteConfig config = valid(any);
    assertThat(config.requestHeaders()).isEqualTo(new HeaderMutation(
        List.of(new HeaderValue("x-mesh", "inboard", AppendAction.OVERWRITE_IF_EXISTS_OR_ADD, false)), List.of()));
    assertThat(config.responseHeaders()).isEqualTo(new HeaderMutation(List.of(), List.of("server")));
    VirtualHostConfig vhost = config.virtualHosts().get(0);
    assertThat(vhost.requestHeaders()).isEqualTo(new HeaderMutation(List.of(new HeaderValue("x-forwarded-client",
        "%DOWNSTREAM_REMOTE_ADDRESS%", AppendAction.ADD_IF_ABSENT, false)), List.of()));
    RouteRule route = vhost.routes().get(0);
    assertThat(route.requestHeaders()).isEqualTo(new HeaderMutation(List.of(), List.of("x-debug")));
    assertThat(route.responseHeaders()).isEqualTo(new HeaderMutation(List.of(
        new HeaderValue("x-served-by", "ratings", AppendAction.APPEND_IF_EXISTS_OR_ADD, false),
        new HeaderValue("x-empty", "", AppendAction.OVERWRITE_IF_EXISTS, true)), List.of()));
  }

  @Test
  @SuppressWarnings("deprecation")
  void virtualHost_retryCorsMirrorAndAttemptCounts_areKept() {
    Any any = routeConfigurationAny("""
        {
          "name": "9080",
          "requestMirrorPolicies": [{"cluster": "outbound|9080||shadow.default.svc.cluster.local"}],
          "virtualHosts": [{
            "name": "ratings", "domains": ["ratings", "*.ratings.example.com", "ratings-*"],
            "retryPolicy": {"retryOn": "5xx, gateway-error ,,reset", "perTryTimeout": "2s"},
            "cors": {"allowOriginStringMatch": [{"exact": "https://bookinfo.example.com"}],
                     "allowMethods": "GET,POST", "allowCredentials": true,
                     "filterEnabled": {"defaultValue": {"numerator": 50}}},
            "includeRequestAttemptCount": true,
            "includeAttemptCountInResponse": true,
            "requestMirrorPolicies": [{"cluster": "outbound|9080|v2|ratings.default.svc.cluster.local",
                                       "runtimeFraction": {"defaultValue": {"numerator": 10}}}],
            "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "outbound|9080||ratings.default.svc.cluster.local"}}]
          }]
        }
        """);

    RouteConfig config = valid(any);
    VirtualHostConfig vhost = config.virtualHosts().get(0);
    assertThat(vhost.domains()).containsExactly("ratings", "*.ratings.example.com", "ratings-*");
    assertThat(vhost.retryPolicy()).contains(new RetryPolicy(Set.of("5xx", "gateway-error", "reset"), 1,
        Optional.of(Duration.ofSeconds(2)), Optional.empty(), Duration.ofMillis(25), Duration.ofMillis(250),
        List.of(), 0, List.of(), Optional.empty(), List.of(), List.of()));
    assertThat(vhost.cors()).contains(new CorsPolicy(List.of(new StringMatcher.Exact("https://bookinfo.example.com",
        false)), Optional.of("GET,POST"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true),
        new Fraction(500_000), Optional.empty(), Optional.empty(), true));
    assertThat(vhost.includeRequestAttemptCount()).isTrue();
    assertThat(vhost.includeAttemptCountInResponse()).isTrue();
    assertThat(vhost.mirrorPolicies()).containsExactly(new MirrorPolicy(
        "outbound|9080|v2|ratings.default.svc.cluster.local", new Fraction(100_000), Optional.empty(), false));
    assertThat(config.mirrorPolicies()).containsExactly(new MirrorPolicy(
        "outbound|9080||shadow.default.svc.cluster.local", Fraction.ALL, Optional.empty(), false));
    assertThat(config.clusterNames()).containsExactly("outbound|9080||shadow.default.svc.cluster.local",
        "outbound|9080|v2|ratings.default.svc.cluster.local", "outbound|9080||ratings.default.svc.cluster.local");
  }

  @Test
  void clusterNames_headerSelectedClusters_areNotListed() {
    Any any = routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [{"name": "dynamic", "domains": ["dynamic"], "routes": [
          {"match": {"prefix": "/"}, "route": {"clusterHeader": "x-target-cluster"}}]}]}
        """);
    RouteConfig config = valid(any);
    assertThat(((RouteAction.Forward) config.virtualHosts().get(0).routes().get(0).action()).cluster())
        .isEqualTo(new ClusterSpecifier.Header("x-target-cluster"));
    assertThat(config.clusterNames()).isEmpty();
  }

  // ---- NACKs ----

  @Test
  void domains_duplicateAcrossVirtualHosts_isNacked() {
    Any any = routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [
          {"name": "%1$s:9080", "domains": ["%1$s", "reviews"], "routes": []},
          {"name": "reviews-legacy", "domains": ["legacy", "Reviews"], "routes": []}]}
        """.formatted(REVIEWS));
    assertThat(invalid(any)).isEqualTo("RouteConfiguration '9080': virtual_hosts[reviews-legacy].domains[1]: domain "
        + "'Reviews' appears in virtual hosts '" + REVIEWS + ":9080' and 'reviews-legacy'; each domain must belong "
        + "to one virtual host");
  }

  @Test
  void domains_duplicateWithinVirtualHost_isNacked() {
    Any any = routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [{"name": "ratings", "domains": ["ratings", "ratings"], "routes": []}]}
        """);
    assertThat(invalid(any)).isEqualTo("RouteConfiguration '9080': virtual_hosts[ratings].domains[1]: domain "
        + "'ratings' is listed twice in virtual host 'ratings'");
  }

  @Test
  void domains_twoCatchAllVirtualHosts_isNacked() {
    Any any = routeConfigurationAny("""
        {"name": "80", "virtualHosts": [{"name": "allow_any", "domains": ["*"]},
                                         {"name": "block_all", "domains": ["*"]}]}
        """);
    assertThat(invalid(any)).isEqualTo("RouteConfiguration '80': virtual_hosts[block_all].domains[0]: domain '*' "
        + "appears in virtual hosts 'allow_any' and 'block_all'; each domain must belong to one virtual host");
  }

  @Test
  void domains_invalidWildcards_areNacked() {
    for (String domain : List.of("foo*bar.com", "*.reviews.*", "**")) {
      Any any = routeConfigurationAny("""
          {"name": "9080", "virtualHosts": [{"name": "w", "domains": ["ok", "%s"]}]}
          """.formatted(domain));
      assertThat(invalid(any)).isEqualTo("RouteConfiguration '9080': virtual_hosts[w].domains[1]: invalid wildcard "
          + "domain '" + domain + "': only '*' alone or a single '*' at the start or the end is allowed");
    }
    Any empty = routeConfigurationAny("{\"name\": \"9080\", \"virtualHosts\": [{\"name\": \"w\", \"domains\": []}]}");
    assertThat(invalid(empty)).isEqualTo("RouteConfiguration '9080': virtual_hosts[w].domains: must not be empty");
  }

  @Test
  void weightedClusters_zeroTotal_isNacked() {
    Any any = routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [{
          "name": "%1$s:9080", "domains": ["%1$s"],
          "routes": [
            {"match": {"prefix": "/a"}, "route": {"cluster": "outbound|9080|v1|%1$s"}},
            {"match": {"prefix": "/b"}, "route": {"cluster": "outbound|9080|v2|%1$s"}},
            {"match": {"prefix": "/"}, "route": {"weightedClusters": {"clusters": [
              {"name": "outbound|9080|v1|%1$s", "weight": 0}, {"name": "outbound|9080|v3|%1$s"}]}}}
          ]}]}
        """.formatted(REVIEWS));
    assertThat(invalid(any)).isEqualTo("RouteConfiguration '9080': virtual_hosts[reviews.default.svc.cluster.local:"
        + "9080].routes[2].route.weighted_clusters: total weight must be > 0, was 0");
  }

  @Test
  void weightedClusters_totalWeightMismatch_isNacked() {
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"weightedClusters": {"totalWeight": 100, "clusters": [
          {"name": "outbound|9080|v1|reviews", "weight": 50}, {"name": "outbound|9080|v3|reviews", "weight": 40}]}}}
        """))).isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].route.weighted_clusters.total_weight: "
        + "must equal the sum of the cluster weights (90), was 100");
  }

  @Test
  void weightedClusters_emptyOrUnnamed_areNacked() {
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"weightedClusters": {"clusters": []}}}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].route.weighted_clusters.clusters: must not "
            + "be empty");
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"weightedClusters": {"clusters": [{"weight": 10}]}}}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].route.weighted_clusters.clusters[0].name: "
            + "must not be empty");
  }

  @Test
  void route_withoutAction_isNacked() {
    assertThat(invalid(singleRoute("{\"name\": \"orphan\", \"match\": {\"prefix\": \"/\"}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0]: the route has no action: one of route, "
            + "redirect, direct_response or non_forwarding_action must be set");
  }

  @Test
  void route_withoutMatch_isNacked() {
    assertThat(invalid(singleRoute("{\"route\": {\"cluster\": \"c\"}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].match: must be set");
  }

  @Test
  void route_negativeTimeout_isNacked() {
    assertThat(invalid(singleRoute("{\"match\": {\"prefix\": \"/\"}, \"route\": {\"cluster\": \"c\", "
        + "\"timeout\": \"-1s\"}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].route.timeout: must not be negative, was "
            + "-1s 0ns");
  }

  @Test
  void redirect_unknownResponseCode_isNacked() {
    assertThat(invalid(singleRoute("{\"match\": {\"prefix\": \"/\"}, \"redirect\": {\"responseCode\": 9}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].redirect.response_code: unknown value 9; "
            + "one of MOVED_PERMANENTLY (301), FOUND (302), SEE_OTHER (303), TEMPORARY_REDIRECT (307) or "
            + "PERMANENT_REDIRECT (308) is required");
  }

  @Test
  void directResponse_statusOutOfRange_isNacked() {
    assertThat(invalid(singleRoute("{\"match\": {\"prefix\": \"/\"}, \"directResponse\": {\"status\": 600}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].direct_response.status: must be in "
            + "[200, 600), was 600");
    assertThat(invalid(singleRoute("{\"match\": {\"prefix\": \"/\"}, \"directResponse\": {\"status\": 101}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].direct_response.status: must be in "
            + "[200, 600), was 101");
  }

  @Test
  void directResponse_bodyLargerThanLimit_isNacked() {
    Any any = routeConfigurationAny("""
        {"name": "9080", "maxDirectResponseBodySizeBytes": 4,
         "virtualHosts": [{"name": "v", "domains": ["v"], "routes": [
           {"match": {"prefix": "/"}, "directResponse": {"status": 200, "body": {"inlineString": "hello"}}}]}]}
        """);
    assertThat(invalid(any)).isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].direct_response.body: "
        + "is 5 bytes, more than max_direct_response_body_size_bytes (4)");
    String body = "x".repeat(4097);
    assertThat(invalid(singleRoute("{\"match\": {\"prefix\": \"/\"}, \"directResponse\": {\"status\": 200, "
        + "\"body\": {\"inlineString\": \"" + body + "\"}}}")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].direct_response.body: is 4097 bytes, more "
            + "than max_direct_response_body_size_bytes (4096)");
  }

  @Test
  void perRouteFault_invalidAbortStatus_isNacked() {
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"cluster": "c"},
         "typedPerFilterConfig": {"envoy.filters.http.fault": {
           "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
           "abort": {"httpStatus": 600}}}}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].typed_per_filter_config"
            + "[envoy.filters.http.fault].abort.http_status: must be in [200, 600), was 600");
  }

  @Test
  void headerMutation_pseudoHeaderOrHost_isNacked() {
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"cluster": "c"},
         "requestHeadersToAdd": [{"header": {"key": ":path", "value": "/x"}}]}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].request_headers_to_add[0].header.key: "
            + "pseudo-headers and host may not be modified, was ':path'");
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"cluster": "c"}, "requestHeadersToRemove": ["Host"]}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].request_headers_to_remove[0]: "
            + "pseudo-headers and host may not be removed, was 'Host'");
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"cluster": "c"},
         "requestHeadersToAdd": [{"header": {"key": "x", "value": "y"}, "append": true,
                                  "appendAction": "ADD_IF_ABSENT"}]}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].request_headers_to_add[0].append: only one "
            + "of append and append_action may be set");
  }

  @Test
  void unsupportedRouteFeatures_areNacked() {
    assertThat(invalid(singleRoute("""
        {"match": {"prefix": "/"}, "route": {"clusterSpecifierPlugin": "lookup"}}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].routes[0].route.cluster_specifier_plugin: not "
            + "supported");
    assertThat(invalid(routeConfigurationAny("""
        {"name": "9080", "vhds": {"configSource": {"ads": {}}}}""")))
        .isEqualTo("RouteConfiguration '9080': vhds: not supported");
    assertThat(invalid(routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [{"name": "v", "domains": ["v"], "requireTls": "ALL"}]}""")))
        .isEqualTo("RouteConfiguration '9080': virtual_hosts[v].require_tls: not supported, was ALL");
  }

  @Test
  void routeConfiguration_withoutName_isNacked() {
    assertThat(invalid(routeConfigurationAny("{\"virtualHosts\": []}")))
        .isEqualTo("RouteConfiguration '': name: must not be empty");
  }

  // ---- helpers ----

  private static RouteMatch prefix(String prefix) {
    return new RouteMatch(new RouteMatch.PathMatcher.Prefix(prefix), true, List.of(), List.of(), Optional.empty(),
        false);
  }

  private static RouteAction.Forward forward(ClusterSpecifier cluster, List<MirrorPolicy> mirrors) {
    return new RouteAction.Forward(cluster, Optional.of(Duration.ZERO), Optional.empty(),
        Optional.of(ISTIO_RETRY_POLICY), List.of(), mirrors, Optional.empty(), Optional.empty(),
        ISTIO_STREAM_DURATION, Optional.empty());
  }

  private static RouteAction.WeightedCluster weighted(String name, long weight, HeaderMutation requestHeaders) {
    return new RouteAction.WeightedCluster(name, weight, requestHeaders, HeaderMutation.NONE, Map.of(),
        Optional.empty());
  }

  private static VirtualHostConfig vhost(String name, List<String> domains, List<RouteRule> routes) {
    return new VirtualHostConfig(name, domains, routes, Optional.empty(), Optional.empty(), HeaderMutation.NONE,
        HeaderMutation.NONE, Map.of(), true, false, List.of(), Metadata.EMPTY);
  }

  private static Any singleRoute(String route) {
    return routeConfigurationAny("""
        {"name": "9080", "virtualHosts": [{"name": "v", "domains": ["v"], "routes": [%s]}]}
        """.formatted(route));
  }

  private RouteConfig valid(Any any) {
    ParseResult<RouteConfig> result = parser.parse(any);
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<RouteConfig>) result).resource();
  }

  private String invalid(Any any) {
    ParseResult<RouteConfig> result = parser.parse(any);
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<RouteConfig>) result).error();
  }
}
