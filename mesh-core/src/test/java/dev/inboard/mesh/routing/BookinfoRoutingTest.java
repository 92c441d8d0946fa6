package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.decision.ResponseFlag;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The outbound route table istiod generates for port 9080 in Bookinfo with the reviews VirtualService: requests
 * from user jason go to v2; the rest split 50/50 between v1 and v3; unknown hosts fall through to allow_any.
 */
class BookinfoRoutingTest {
  private static final String REVIEWS = "reviews.default.svc.cluster.local";
  private static final String RETRY = """
      {"retryOn": "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
       "numRetries": 2, "retryHostPredicate": [{"name": "envoy.retry_host_predicates.previous_hosts",
         "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}}],
       "hostSelectionRetryMaxAttempts": "5"}
      """;
  private static final String MSD = "{\"maxStreamDuration\": \"0s\", \"grpcTimeoutHeaderMax\": \"0s\"}";

  private static final CompiledRouteTable TABLE = RouteTables.table("""
      {
        "name": "9080",
        "virtualHosts": [
          {
            "name": "details.default.svc.cluster.local:9080",
            "domains": ["details.default.svc.cluster.local", "details", "details.default.svc", "details.default",
                        "10.96.0.11"],
            "routes": [{"name": "default", "match": {"prefix": "/"},
                        "route": {"cluster": "outbound|9080||details.default.svc.cluster.local", "timeout": "0s",
                                  "retryPolicy": %2$s, "maxStreamDuration": %3$s},
                        "decorator": {"operation": "details.default.svc.cluster.local:9080/*"}}],
            "includeRequestAttemptCount": true
          },
          {
            "name": "%1$s:9080",
            "domains": ["%1$s", "reviews", "reviews.default.svc", "reviews.default", "10.96.0.10"],
            "routes": [
              {"name": "jason",
               "match": {"prefix": "/", "caseSensitive": true,
                         "headers": [{"name": "end-user", "stringMatch": {"exact": "jason"}}]},
               "route": {"cluster": "outbound|9080|v2|%1$s", "timeout": "0s", "retryPolicy": %2$s,
                         "maxStreamDuration": %3$s},
               "decorator": {"operation": "%1$s:9080/*"}},
              {"name": "default",
               "match": {"prefix": "/"},
               "route": {"weightedClusters": {"clusters": [{"name": "outbound|9080|v1|%1$s", "weight": 50},
                                                           {"name": "outbound|9080|v3|%1$s", "weight": 50}]},
                         "timeout": "0s", "retryPolicy": %2$s, "maxStreamDuration": %3$s},
               "decorator": {"operation": "%1$s:9080/*"}}
            ],
            "includeRequestAttemptCount": true
          },
          {
            "name": "allow_any",
            "domains": ["*"],
            "routes": [{"name": "allow_any", "match": {"prefix": "/"},
                        "route": {"cluster": "PassthroughCluster", "timeout": "0s", "maxStreamDuration": %3$s}}],
            "includeRequestAttemptCount": true
          }
        ],
        "validateClusters": false,
        "ignorePortInHostMatching": true
      }
      """.formatted(REVIEWS, RETRY, MSD));

  private static RequestInfo reviews(Map<String, String> headers) {
    return RouteTables.request("GET", "reviews:9080", "/reviews/0", headers);
  }

  @Test
  void jason_goesToV2_withIstiosRetryPolicyAndNoTimeout() {
    RouteDecision.Forward f = RouteTables.forward(TABLE, reviews(Map.of("end-user", "jason")));
    assertThat(f.cluster()).isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(f.route().name()).isEqualTo("jason");
    assertThat(f.virtualHost().name()).isEqualTo(REVIEWS + ":9080");
    assertThat(f.timeout()).isEmpty();
    assertThat(f.maxStreamDuration()).isEmpty();
    assertThat(f.retryPolicy().get().numRetries()).isEqualTo(2);
    assertThat(f.retryPolicy().get().hostSelectionRetryMaxAttempts()).isEqualTo(5);
  }

  @Test
  void everyoneElse_isSplitBetweenV1AndV3PerTheWeights() {
    SplittableRandom random = new SplittableRandom(9080);
    Map<String, Integer> counts = new HashMap<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      RouteDecision.Forward f = (RouteDecision.Forward) TABLE.decide(reviews(Map.of("end-user", "mary")), random);
      counts.merge(f.cluster(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("outbound|9080|v1|" + REVIEWS, "outbound|9080|v3|" + REVIEWS);
    // 50% of 20,000: standard deviation ~71; tolerance 600.
    assertThat(counts.get("outbound|9080|v1|" + REVIEWS)).isBetween(9_400, 10_600);
  }

  @Test
  void otherServicesAndUnknownHosts() {
    RouteDecision.Forward details =
        RouteTables.forward(TABLE, RouteTables.request("GET", "details.default:9080", "/details/0", Map.of()));
    assertThat(details.cluster()).isEqualTo("outbound|9080||details.default.svc.cluster.local");
    RouteDecision.Forward byIp =
        RouteTables.forward(TABLE, RouteTables.request("GET", "10.96.0.10:9080", "/", Map.of("end-user", "jason")));
    assertThat(byIp.cluster()).isEqualTo("outbound|9080|v2|" + REVIEWS);
    RouteDecision.Forward unknown =
        RouteTables.forward(TABLE, RouteTables.request("GET", "example.com", "/", Map.of()));
    assertThat(unknown.cluster()).isEqualTo("PassthroughCluster");
    assertThat(unknown.retryPolicy()).isEmpty();
  }

  @Test
  void grpcCallWithDeadline_getsTheDeadlineAsTimeout() {
    RouteDecision.Forward f = RouteTables.forward(TABLE, RouteTables.request("POST", "reviews:9080",
        "/bookinfo.Reviews/Get", Map.of("content-type", "application/grpc", "grpc-timeout", "2S",
            "end-user", "jason")));
    assertThat(f.timeout()).contains(Duration.ofSeconds(2));
    assertThat(f.maxStreamDuration()).contains(Duration.ofSeconds(2));
  }

  @Test
  void missingAuthorityVhost_cannotHappenWithAllowAny_butWithoutItIsNr() {
    CompiledRouteTable noFallback = RouteTables.table("""
        {"name": "9080", "virtualHosts": [{"name": "r", "domains": ["reviews"],
          "routes": [{"name": "default", "match": {"prefix": "/"}, "route": {"cluster": "c"}}]}]}
        """);
    RouteDecision d = noFallback.decide(RouteTables.request("GET", "ratings", "/", Map.of()), RouteTables.random());
    assertThat(((RouteDecision.Rejected) d).failure().flag()).isEqualTo(ResponseFlag.NR);
  }
}
