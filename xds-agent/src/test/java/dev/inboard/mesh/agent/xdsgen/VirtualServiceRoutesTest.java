package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.assertAccepted;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.bookinfoServices;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.parse;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.productpage;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.vhost;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.virtualServicesYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VirtualService HTTP routes to Envoy routes: matches, actions and per-route policies, one feature at a time. */
class VirtualServiceRoutesTest {
  static final String REVIEWS = "reviews.default.svc.cluster.local";

  final List<String> notes = new ArrayList<>();
  final RouteConfigGenerator generator = new RouteConfigGenerator(OutboundTrafficPolicy.ALLOW_ANY, notes::add);

  RouteConfiguration generate(String yaml, ProxyView proxy, HashPolicies hashPolicies) {
    RouteConfiguration rc = generator.generate(9080, bookinfoServices(), virtualServicesYaml(yaml), proxy,
        MeshSettings.DEFAULT, hashPolicies);
    assertAccepted(rc);
    return rc;
  }

  /** The reviews virtual host's routes for a VirtualService on reviews whose {@code http} list is {@code http}. */
  List<Route> reviews(String http) {
    return reviews(http, productpage(), HashPolicies.NONE);
  }

  List<Route> reviews(String http, ProxyView proxy, HashPolicies hashPolicies) {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
        """ + http.indent(2);
    return vhost(generate(yaml, proxy, hashPolicies), REVIEWS + ":9080").getRoutesList();
  }

  static RouteMatch match(String json) {
    return parse(json, RouteMatch.newBuilder());
  }

  @Test
  void uriExactPrefixRegex_pathSpecifiersAndDecorators_ignoreUriCaseClearsCaseSensitive() {
    List<Route> routes = reviews("""
        - name: api
          match:
          - {name: exact, uri: {exact: /reviews/0}}
          - {name: prefix, uri: {prefix: /reviews/}, ignoreUriCase: true}
          - {name: regex, uri: {regex: "/reviews/[0-9]+"}}
          route:
          - destination: {host: reviews, subset: v1}
        """);

    assertThat(routes).as("a VirtualService's routes replace the default route, even where they leave gaps")
        .extracting(Route::getName).containsExactly("api.exact", "api.prefix", "api.regex");
    assertThat(routes.get(0).getMatch()).isEqualTo(match("{\"path\": \"/reviews/0\", \"caseSensitive\": true}"));
    assertThat(routes.get(1).getMatch()).isEqualTo(match("{\"prefix\": \"/reviews/\", \"caseSensitive\": false}"));
    assertThat(routes.get(2).getMatch()).isEqualTo(match("""
        {"safeRegex": {"regex": "/reviews/[0-9]+"}, "caseSensitive": true}"""));
    assertThat(routes).extracting(r -> r.getDecorator().getOperation()).startsWith(
        REVIEWS + ":9080/reviews/0", REVIEWS + ":9080/reviews/*", REVIEWS + ":9080/reviews/[0-9]+");
  }

  @Test
  void headersWithoutHeadersMethodAuthorityScheme_sortedHeadersThenPseudoHeaders() {
    List<Route> routes = reviews("""
        - match:
          - headers:
              x-b: {prefix: canary}
              x-a: {regex: "v[0-9]"}
              x-present: {regex: "*"}
            withoutHeaders:
              x-debug: {exact: "1"}
              x-any: {}
            method: {exact: GET}
            authority: {prefix: reviews}
            scheme: {exact: http}
          route:
          - destination: {host: reviews, subset: v2}
        """);

    assertThat(routes.get(0).getMatch()).isEqualTo(match("""
        {
          "prefix": "/",
          "caseSensitive": true,
          "headers": [
            {"name": "x-a", "stringMatch": {"safeRegex": {"regex": "v[0-9]"}}},
            {"name": "x-any", "presentMatch": true, "invertMatch": true},
            {"name": "x-b", "stringMatch": {"prefix": "canary"}},
            {"name": "x-debug", "stringMatch": {"exact": "1"}, "invertMatch": true, "treatMissingHeaderAsEmpty": true},
            {"name": "x-present", "presentMatch": true},
            {"name": ":method", "stringMatch": {"exact": "GET"}},
            {"name": ":authority", "stringMatch": {"prefix": "reviews"}},
            {"name": ":scheme", "stringMatch": {"exact": "http"}}
          ]
        }"""));
  }

  @Test
  void queryParams_exactAndPresent_sortedByName() {
    List<Route> routes = reviews("""
        - match:
          - queryParams:
              version: {exact: v2}
              debug: {regex: "*"}
          route:
          - destination: {host: reviews, subset: v2}
        """);

    assertThat(routes.get(0).getMatch()).isEqualTo(match("""
        {
          "prefix": "/",
          "caseSensitive": true,
          "queryParameters": [
            {"name": "debug", "presentMatch": true},
            {"name": "version", "stringMatch": {"exact": "v2"}}
          ]
        }"""));
  }

  @Test
  void portMatch_onlyOnThatPort() {
    List<Route> routes = reviews("""
        - match:
          - {port: 9090, uri: {prefix: /other}}
          - {port: 9080, uri: {prefix: /mine}}
          route:
          - destination: {host: reviews, subset: v2}
        """);

    assertThat(routes).extracting(r -> r.getMatch().getPrefix()).containsExactly("/mine");
  }

  @Test
  void sourceLabelsNamespaceAndGateways_routesApplyOnlyToMatchingProxies() {
    String http = """
        - name: from-productpage
          match:
          - sourceLabels: {app: productpage}
            uri: {prefix: /pp}
          route:
          - destination: {host: reviews, subset: v2}
        - name: from-tests
          match:
          - sourceNamespace: tests
            uri: {prefix: /tests}
          route:
          - destination: {host: reviews, subset: v3}
        - name: gateway-only
          match:
          - gateways: [bookinfo-gateway]
          route:
          - destination: {host: reviews, subset: v3}
        - name: mesh
          match:
          - gateways: [mesh]
            uri: {prefix: /mesh}
          route:
          - destination: {host: reviews, subset: v3}
        - name: rest
          route:
          - destination: {host: reviews, subset: v1}
        """;

    assertThat(reviews(http)).extracting(Route::getName).containsExactly("from-productpage", "mesh", "rest");
    ProxyView testPod = XdsgenFixtures.proxy("tests", Map.of("app", "tester"), Map.of());
    RouteConfiguration fromTests = generator.generate(9080, bookinfoServices(), virtualServicesYaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          http:
        """ + http.indent(2)), testPod, MeshSettings.DEFAULT, HashPolicies.NONE);
    assertThat(vhost(fromTests, REVIEWS + ":9080").getRoutesList()).extracting(Route::getName)
        .containsExactly("from-tests", "mesh", "rest");
    assertThat(vhost(fromTests, REVIEWS + ":9080").getDomainsList())
        .containsExactly(REVIEWS, REVIEWS + ".", "reviews.default", "reviews.default.svc");
  }

  @Test
  void sourceOnlyMatch_matchesEveryRequestOfThatSource_laterRoutesDropped() {
    List<Route> routes = reviews("""
        - name: from-productpage
          match:
          - sourceLabels: {app: productpage}
          route:
          - destination: {host: reviews, subset: v2}
        - name: rest
          route:
          - destination: {host: reviews, subset: v1}
        """);

    assertThat(routes).extracting(Route::getName).containsExactly("from-productpage");
    assertThat(routes.get(0).getMatch()).isEqualTo(match("{\"prefix\": \"/\", \"caseSensitive\": true}"));
  }

  @Test
  void noRouteForThisProxy_serviceKeepsItsDefaultRoute() {
    List<Route> routes = reviews("""
        - match:
          - sourceLabels: {app: ratings}
          route:
          - destination: {host: reviews, subset: v2}
        """);

    assertThat(routes).extracting(Route::getName).containsExactly("default");
    assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("outbound|9080||" + REVIEWS);
  }

  @Test
  void redirect_uriAuthorityCodeAndPort() {
    List<Route> routes = reviews("""
        - match: [{uri: {exact: /old}}]
          redirect: {uri: /new, authority: ratings:9080, redirectCode: 302, port: 8443, scheme: https}
        - match: [{uri: {exact: /same-port}}]
          redirect: {uri: /here, derivePort: FROM_REQUEST_PORT}
        - match: [{uri: {exact: /https-default}}]
          redirect: {scheme: https, port: 443}
        - match: [{uri: {exact: /bad-code}}]
          redirect: {uri: /x, redirectCode: 399}
        - route:
          - destination: {host: reviews}
        """);

    assertThat(routes.get(0).getRedirect()).isEqualTo(parse("""
        {"hostRedirect": "ratings:9080", "pathRedirect": "/new", "schemeRedirect": "https", "portRedirect": 8443,
         "responseCode": "FOUND"}""", RedirectAction.newBuilder()));
    assertThat(routes.get(0).getDecorator().getOperation()).isEqualTo("reviews:9080/old");
    assertThat(routes.get(1).getRedirect()).isEqualTo(parse("""
        {"pathRedirect": "/here", "portRedirect": 9080}""", RedirectAction.newBuilder()));
    assertThat(routes.get(2).getRedirect()).isEqualTo(parse("""
        {"schemeRedirect": "https"}""", RedirectAction.newBuilder()));
    assertThat(routes).hasSize(4);
    assertThat(routes.get(3).getRoute().getCluster()).isEqualTo("outbound|9080||" + REVIEWS);
    assertThat(notes).containsExactly("VirtualService default/reviews: http[3]: redirectCode 399 is not one of "
        + "301, 302, 303, 307, 308; the route is left out");
  }

  @Test
  void directResponse_statusAndBody() {
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /down}}]
          directResponse: {status: 503, body: {string: "reviews are down"}}
        - directResponse: {status: 200, body: {bytes: "b2s="}}
        """);

    assertThat(routes.get(0).getDirectResponse().getStatus()).isEqualTo(503);
    assertThat(routes.get(0).getDirectResponse().getBody().getInlineString()).isEqualTo("reviews are down");
    assertThat(routes.get(0).getDecorator().getOperation()).isEqualTo("reviews:9080/down*");
    assertThat(routes.get(1).getDirectResponse().getBody().getInlineBytes().toStringUtf8()).isEqualTo("ok");
  }

  @Test
  void rewrites_prefixRegexAndAuthority() {
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /v1/}}]
          rewrite: {uri: /, authority: reviews-v1.internal}
          route:
          - destination: {host: reviews, subset: v1}
        - match: [{uri: {prefix: /api/}}]
          rewrite:
            uriRegexRewrite: {match: "^/api/(.*)$", rewrite: "/\\\\1"}
          route:
          - destination: {host: reviews, subset: v2}
        """);

    RouteAction first = routes.get(0).getRoute();
    assertThat(first.getPrefixRewrite()).isEqualTo("/");
    assertThat(first.getHostRewriteLiteral()).isEqualTo("reviews-v1.internal");
    assertThat(first.getCluster()).isEqualTo("outbound|9080|v1|" + REVIEWS);
    assertThat(routes.get(1).getRoute().getRegexRewrite().getPattern().getRegex()).isEqualTo("^/api/(.*)$");
    assertThat(routes.get(1).getRoute().getRegexRewrite().getSubstitution()).isEqualTo("/\\1");
  }

  @Test
  void headerOperations_routeAndDestinationLevels_authorityBecomesHostRewrite() {
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /single}}]
          headers:
            request:
              set: {x-b: "2", x-a: "1", ":authority": reviews.example}
              add: {x-c: "3"}
              remove: [x-drop, ":path"]
            response:
              set: {x-served-by: mesh}
              remove: [server]
          route:
          - destination: {host: reviews, subset: v1}
            headers:
              request: {set: {x-dest: v1}}
        - route:
          - destination: {host: reviews, subset: v1}
            weight: 70
            headers:
              request: {set: {x-dest: v1, host: v1.reviews}}
          - destination: {host: reviews, subset: v2}
            weight: 30
        """);

    Route single = routes.get(0);
    assertThat(single).isEqualTo(single.toBuilder()
        .clearRequestHeadersToAdd().clearResponseHeadersToAdd()
        .mergeFrom(XdsgenFixtures.route("""
            {
              "requestHeadersToAdd": [
                {"header": {"key": "x-a", "value": "1"}, "appendAction": "OVERWRITE_IF_EXISTS_OR_ADD"},
                {"header": {"key": "x-b", "value": "2"}, "appendAction": "OVERWRITE_IF_EXISTS_OR_ADD"},
                {"header": {"key": "x-c", "value": "3"}},
                {"header": {"key": "x-dest", "value": "v1"}, "appendAction": "OVERWRITE_IF_EXISTS_OR_ADD"}
              ],
              "responseHeadersToAdd": [
                {"header": {"key": "x-served-by", "value": "mesh"}, "appendAction": "OVERWRITE_IF_EXISTS_OR_ADD"}
              ]
            }"""))
        .build());
    assertThat(single.getRequestHeadersToRemoveList()).containsExactly("x-drop");
    assertThat(single.getResponseHeadersToRemoveList()).containsExactly("server");
    assertThat(single.getRoute().getHostRewriteLiteral()).isEqualTo("reviews.example");

    var v1 = routes.get(1).getRoute().getWeightedClusters().getClusters(0);
    assertThat(v1.getRequestHeadersToAddList()).extracting(h -> h.getHeader().getKey()).containsExactly("x-dest");
    assertThat(v1.getHostRewriteLiteral()).isEqualTo("v1.reviews");
    assertThat(routes.get(1).getRequestHeadersToAddList()).isEmpty();
  }

  @Test
  void mirrors_percentagePerMillion_deprecatedPercentInHundredths_zeroDisables() {
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /a}}]
          route:
          - destination: {host: reviews, subset: v1}
          mirror: {host: reviews, subset: v2}
          mirrorPercentage: {value: 12.5}
        - match: [{uri: {prefix: /b}}]
          route:
          - destination: {host: reviews, subset: v1}
          mirror: {host: ratings}
          mirrorPercent: 10
        - match: [{uri: {prefix: /c}}]
          route:
          - destination: {host: reviews, subset: v1}
          mirror: {host: reviews, subset: v2}
          mirrorPercentage: {value: 0}
        - route:
          - destination: {host: reviews, subset: v1}
          mirrors:
          - destination: {host: reviews, subset: v3}
          - destination: {host: ratings, port: {number: 8080}}
            percentage: {value: 50}
        """);

    assertThat(routes.get(0).getRoute().getRequestMirrorPoliciesList()).containsExactly(parse("""
        {"cluster": "outbound|9080|v2|reviews.default.svc.cluster.local",
         "runtimeFraction": {"defaultValue": {"numerator": 125000, "denominator": "MILLION"}},
         "traceSampled": false}""", RouteAction.RequestMirrorPolicy.newBuilder()));
    assertThat(routes.get(1).getRoute().getRequestMirrorPolicies(0).getCluster())
        .isEqualTo("outbound|9080||ratings.default.svc.cluster.local");
    assertThat(routes.get(1).getRoute().getRequestMirrorPolicies(0).getRuntimeFraction().getDefaultValue())
        .isEqualTo(PerFilterConfigs.hundredths(10));
    assertThat(routes.get(2).getRoute().getRequestMirrorPoliciesList()).isEmpty();
    assertThat(routes.get(3).getRoute().getRequestMirrorPoliciesList())
        .extracting(RouteAction.RequestMirrorPolicy::getCluster, p -> p.getRuntimeFraction().getDefaultValue())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("outbound|9080|v3|" + REVIEWS, PerFilterConfigs.hundredths(100)),
            org.assertj.core.groups.Tuple.tuple("outbound|8080||ratings.default.svc.cluster.local",
                PerFilterConfigs.perMillion(new io.fabric8.istio.api.api.networking.v1alpha3.Percent(50.0))));
  }

  @Test
  void corsPolicy_asTheCorsFiltersPerRouteConfig() throws Exception {
    List<Route> routes = reviews("""
        - corsPolicy:
            allowOrigins:
            - exact: https://bookinfo.example
            - regex: "https://.*\\\\.example"
            allowMethods: [GET, POST]
            allowHeaders: [x-custom, authorization]
            exposeHeaders: [x-request-id]
            maxAge: 24h
            allowCredentials: true
            unmatchedPreflights: IGNORE
          route:
          - destination: {host: reviews, subset: v1}
        """);

    CorsPolicy cors = routes.get(0).getTypedPerFilterConfigOrThrow("envoy.filters.http.cors").unpack(CorsPolicy.class);
    assertThat(cors).isEqualTo(parse("""
        {
          "allowOriginStringMatch": [{"exact": "https://bookinfo.example"}, {"safeRegex": {"regex": "https://.*\\\\.example"}}],
          "allowMethods": "GET,POST",
          "allowHeaders": "x-custom,authorization",
          "exposeHeaders": "x-request-id",
          "maxAge": "86400",
          "allowCredentials": true,
          "filterEnabled": {"defaultValue": {"numerator": 100}},
          "forwardNotMatchingPreflights": false
        }""", CorsPolicy.newBuilder()));
  }

  @Test
  void timeoutAndRetries_overrideIstiodDefaults() {
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /custom}}]
          timeout: 10s
          retries: {attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure,503", retryRemoteLocalities: true}
          route:
          - destination: {host: reviews, subset: v1}
        - match: [{uri: {prefix: /none}}]
          retries: {attempts: 0}
          route:
          - destination: {host: reviews, subset: v1}
        - match: [{uri: {prefix: /backoff}}]
          timeout: 1.5s
          retries: {attempts: 5, retryIgnorePreviousHosts: false, backoff: 250ms}
          route:
          - destination: {host: reviews, subset: v1}
        """);

    RouteAction custom = routes.get(0).getRoute();
    assertThat(custom.getTimeout()).isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(10).build());
    assertThat(custom.getRetryPolicy()).isEqualTo(parse("""
        {
          "retryOn": "gateway-error,connect-failure,retriable-status-codes",
          "numRetries": 3,
          "perTryTimeout": "2s",
          "retryHostPredicate": [{
            "name": "envoy.retry_host_predicates.previous_hosts",
            "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}
          }],
          "hostSelectionRetryMaxAttempts": "5",
          "retriableStatusCodes": [503],
          "retryPriority": {
            "name": "envoy.retry_priorities.previous_priorities",
            "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig",
              "updateFrequency": 2
            }
          }
        }""", io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()));
    assertThat(routes.get(1).getRoute().hasRetryPolicy()).isFalse();
    RouteAction backoff = routes.get(2).getRoute();
    assertThat(backoff.getTimeout()).isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000).build());
    assertThat(backoff.getRetryPolicy().getNumRetries().getValue()).isEqualTo(5);
    assertThat(backoff.getRetryPolicy().getRetryHostPredicateList()).isEmpty();
    assertThat(backoff.getRetryPolicy().getRetryBackOff().getBaseInterval().getNanos()).isEqualTo(250_000_000);
  }

  @Test
  void hashPolicies_singleDestinationDropsPreviousHosts_weightedAppendsEachDestinations() {
    HashPolicies byUser = (host, port, subset) -> subset.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(RouteAction.HashPolicy.newBuilder()
            .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName("x-user-" + subset)).build());
    List<Route> routes = reviews("""
        - match: [{uri: {prefix: /sticky}}]
          route:
          - destination: {host: reviews, subset: v1}
        - route:
          - destination: {host: reviews, subset: v2}
            weight: 50
          - destination: {host: reviews, subset: v3}
            weight: 50
        """, productpage(), byUser);

    RouteAction sticky = routes.get(0).getRoute();
    assertThat(sticky.getHashPolicyList()).extracting(h -> h.getHeader().getHeaderName()).containsExactly("x-user-v1");
    assertThat(sticky.getRetryPolicy()).isEqualTo(RetryPolicies.defaultPolicy(true));
    assertThat(sticky.getRetryPolicy().getRetryHostPredicateList()).isEmpty();
    RouteAction split = routes.get(1).getRoute();
    assertThat(split.getHashPolicyList()).extracting(h -> h.getHeader().getHeaderName())
        .containsExactly("x-user-v2", "x-user-v3");
    assertThat(split.getRetryPolicy()).isEqualTo(RetryPolicies.defaultPolicy(false));
  }

  @Test
  void hashPolicies_defaultRouteAsksWithTheServicePort() {
    List<String> asked = new ArrayList<>();
    HashPolicies recording = (host, port, subset) -> {
      asked.add(host + "|" + port + "|" + subset);
      return java.util.Optional.empty();
    };
    generator.generate(9080, bookinfoServices(), List.of(), productpage(), MeshSettings.DEFAULT, recording);
    reviews("""
        - route:
          - destination: {host: reviews, subset: v1, port: {number: 9080}}
        - route:
          - destination: {host: reviews, subset: v2}
        """, productpage(), recording);

    assertThat(asked).contains("details.default.svc.cluster.local|OptionalInt[9080]|",
        REVIEWS + "|OptionalInt[9080]|v1").doesNotContain(REVIEWS + "|OptionalInt.empty|v2");
  }

  @Test
  void grpcAbortAndPercentLessDelay() throws Exception {
    List<Route> routes = reviews("""
        - fault:
            abort: {grpcStatus: UNAVAILABLE, percentage: {value: 0.1}}
            delay: {fixedDelay: 100ms}
          route:
          - destination: {host: reviews, subset: v1}
        """);

    var fault = routes.get(0).getTypedPerFilterConfigOrThrow("envoy.filters.http.fault")
        .unpack(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.class);
    assertThat(fault.getAbort().getGrpcStatus()).isEqualTo(14);
    assertThat(fault.getAbort().getPercentage()).isEqualTo(parse("""
        {"numerator": 1000, "denominator": "MILLION"}""", io.envoyproxy.envoy.type.v3.FractionalPercent.newBuilder()));
    assertThat(fault.getDelay().getFixedDelay().getNanos()).isEqualTo(100_000_000);
    assertThat(fault.getDelay().getPercentage()).isEqualTo(PerFilterConfigs.hundredths(0));
  }

  @Test
  void delegateAndJwtClaimRoutes_leftOutWithNotes() {
    List<Route> routes = reviews("""
        - name: claims
          match:
          - headers:
              "@request.auth.claims.group": {exact: admin}
          route:
          - destination: {host: reviews, subset: v2}
        - name: delegated
          match: [{uri: {prefix: /team}}]
          delegate: {name: team-routes, namespace: team}
        - route:
          - destination: {host: reviews, subset: v1}
        """);

    assertThat(routes).extracting(r -> r.getRoute().getCluster()).containsExactly("outbound|9080|v1|" + REVIEWS);
    assertThat(notes).containsExactly(
        "VirtualService default/reviews: http[0] (claims): headers '@request.auth.claims.group' routes on JWT claims, "
            + "which needs dynamic metadata matching the client does not evaluate; the route is left out",
        "VirtualService default/reviews: http[1] (delegated): delegation to VirtualService team/team-routes is not "
            + "supported; the route is left out");
  }

  @Test
  void unreadableDurationOrZeroWeights_routeLeftOutWithNote() {
    List<Route> routes = reviews("""
        - name: slow
          match: [{uri: {prefix: /slow}}]
          timeout: 5 seconds
          route:
          - destination: {host: reviews, subset: v1}
        - name: unweighted
          match: [{uri: {prefix: /split}}]
          route:
          - destination: {host: reviews, subset: v1}
          - destination: {host: reviews, subset: v2}
        - route:
          - destination: {host: reviews, subset: v1}
        """);

    assertThat(routes).extracting(r -> r.getMatch().getPrefix()).containsExactly("/");
    assertThat(notes).containsExactly(
        "VirtualService default/reviews: http[0] (slow): '5 seconds' is not a duration (e.g. 7s, 1.5s, 100ms, 1h30m); "
            + "the route is left out",
        "VirtualService default/reviews: http[1] (unweighted): every destination of the route has weight 0; "
            + "the route is left out");
  }
}
