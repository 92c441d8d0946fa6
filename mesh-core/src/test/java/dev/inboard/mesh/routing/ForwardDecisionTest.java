package dev.inboard.mesh.routing;

import static dev.inboard.mesh.routing.RouteTables.forward;
import static dev.inboard.mesh.routing.RouteTables.get;
import static dev.inboard.mesh.routing.RouteTables.routes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.decision.ResponseFlag;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForwardDecisionTest {

  private static CompiledRouteTable action(String routeAction) {
    return routes("""
        {"name": "r", "match": {"prefix": "/"}, "route": %s}
        """.formatted(routeAction));
  }

  @Test
  void weightedClusters_80_20_splitWithinTolerance() {
    CompiledRouteTable table = action("""
        {"weightedClusters": {"clusters": [{"name": "v1", "weight": 80}, {"name": "v2", "weight": 20}]}}
        """);
    SplittableRandom random = new SplittableRandom(2026);
    Map<String, Integer> counts = new HashMap<>();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      RouteDecision.Forward f = (RouteDecision.Forward) table.decide(get("/"), random);
      counts.merge(f.cluster(), 1, Integer::sum);
    }
    // 20% of 100,000: standard deviation ~126; a tolerance of 1,000 is ~8 sigma.
    assertThat(counts.get("v2")).isBetween(19_000, 21_000);
    assertThat(counts.get("v1") + counts.get("v2")).isEqualTo(n);
  }

  @Test
  void weightedClusters_zeroWeightCluster_isNeverPicked() {
    CompiledRouteTable table = action("""
        {"weightedClusters": {"clusters": [{"name": "v1", "weight": 0}, {"name": "v2", "weight": 1}]}}
        """);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1_000; i++) {
      assertThat(((RouteDecision.Forward) table.decide(get("/"), random)).cluster()).isEqualTo("v2");
    }
  }

  @Test
  void singleCluster_withNothingPerRequest_returnsOnePrecomputedDecision() {
    CompiledRouteTable table = action("{\"cluster\": \"outbound|9080|v1|reviews.default.svc.cluster.local\"}");
    RouteDecision first = table.decide(get("/a"), new SplittableRandom(1));
    RouteDecision second = table.decide(get("/b"), new SplittableRandom(2));
    assertThat(first).isSameAs(second);
    RouteDecision.Forward f = (RouteDecision.Forward) first;
    assertThat(f.cluster()).isEqualTo("outbound|9080|v1|reviews.default.svc.cluster.local");
    assertThat(f.timeout()).contains(Duration.ofSeconds(15));
    assertThat(f.retryPolicy()).isEmpty();
    assertThat(f.hash()).isEmpty();
    assertThat(f.fault()).isEmpty();
    assertThat(f.path()).isEmpty();
    assertThat(f.authority()).isEmpty();
  }

  @Test
  void timeout_zeroMeansNone_andIdleTimeoutIsPassedOn() {
    assertThat(forward(action("{\"cluster\": \"c\", \"timeout\": \"0s\"}"), get("/")).timeout()).isEmpty();
    RouteDecision.Forward f = forward(action("{\"cluster\": \"c\", \"timeout\": \"2.5s\", \"idleTimeout\": \"9s\"}"),
        get("/"));
    assertThat(f.timeout()).contains(Duration.ofMillis(2500));
    assertThat(f.idleTimeout()).contains(Duration.ofSeconds(9));
  }

  @Test
  void timeoutHeaders_overrideTheRouteTimeoutAndPerTryTimeout() {
    CompiledRouteTable table = action("""
        {"cluster": "c", "timeout": "10s", "retryPolicy": {"retryOn": "5xx", "perTryTimeout": "2s"}}
        """);
    RouteDecision.Forward plain = forward(table, get("/"));
    assertThat(plain.timeout()).contains(Duration.ofSeconds(10));
    assertThat(plain.perTryTimeout()).contains(Duration.ofSeconds(2));
    RouteDecision.Forward overridden = forward(table, get("/", Map.of(
        "x-envoy-upstream-rq-timeout-ms", "3000", "x-envoy-upstream-rq-per-try-timeout-ms", "500")));
    assertThat(overridden.timeout()).contains(Duration.ofSeconds(3));
    assertThat(overridden.perTryTimeout()).contains(Duration.ofMillis(500));
    RouteDecision.Forward perTryTooLong =
        forward(table, get("/", Map.of("x-envoy-upstream-rq-timeout-ms", "1000")));
    assertThat(perTryTooLong.perTryTimeout()).isEmpty();
    RouteDecision.Forward disabled = forward(table, get("/", Map.of("x-envoy-upstream-rq-timeout-ms", "0")));
    assertThat(disabled.timeout()).isEmpty();
    assertThat(disabled.perTryTimeout()).contains(Duration.ofSeconds(2));
    assertThat(forward(table, get("/", Map.of("x-envoy-upstream-rq-timeout-ms", "soon"))).timeout())
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void retryPolicy_routeOverridesVirtualHost() {
    String config = """
        {"name": "t", "virtualHosts": [{"name": "vh", "domains": ["*"],
          "retryPolicy": {"retryOn": "5xx", "numRetries": 5},
          "routes": [
            {"name": "own", "match": {"prefix": "/own"},
             "route": {"cluster": "c", "retryPolicy": {"retryOn": "connect-failure", "numRetries": 2,
                                                        "perTryTimeout": "1s", "perTryIdleTimeout": "3s"}}},
            {"name": "inherited", "match": {"prefix": "/"}, "route": {"cluster": "c"}}]}]}
        """;
    CompiledRouteTable table = RouteTables.table(config);
    RouteDecision.Forward own = forward(table, get("/own"));
    assertThat(own.retryPolicy().get().numRetries()).isEqualTo(2);
    assertThat(own.retryPolicy().get().retryOn()).containsExactly("connect-failure");
    assertThat(own.perTryTimeout()).contains(Duration.ofSeconds(1));
    assertThat(own.perTryIdleTimeout()).contains(Duration.ofSeconds(3));
    CompiledRouteTable longPerTry = action("""
        {"cluster": "c", "timeout": "1s", "retryPolicy": {"retryOn": "5xx", "perTryTimeout": "1s"}}
        """);
    assertThat(forward(longPerTry, get("/")).perTryTimeout()).isEmpty();
    RouteDecision.Forward inherited = forward(table, get("/x"));
    assertThat(inherited.retryPolicy().get().numRetries()).isEqualTo(5);
    assertThat(inherited.perTryTimeout()).isEmpty();
  }

  @Test
  void clusterHeader_namesTheCluster_andItsAbsenceIsNc503() {
    CompiledRouteTable table = action("{\"clusterHeader\": \"X-Target\"}");
    assertThat(forward(table, get("/", Map.of("x-target", "blue"))).cluster()).isEqualTo("blue");
    RouteDecision.Rejected missing = (RouteDecision.Rejected) table.decide(get("/"), RouteTables.random());
    assertThat(missing.failure().flag()).isEqualTo(ResponseFlag.NC);
    assertThat(missing.failure().httpStatus()).isEqualTo(503);
    assertThat(missing.failure().reason())
        .isEqualTo("route r takes its cluster from header x-target, which the request does not carry");
  }

  @Test
  void headerMutations_weightedClusterFirst_thenRouteVhostConfig_orReversedWhenMostSpecificWins() {
    String config = """
        {"name": "t", "mostSpecificHeaderMutationsWins": %s,
         "requestHeadersToAdd": [{"header": {"key": "level", "value": "config"}}],
         "responseHeadersToRemove": ["server"],
         "virtualHosts": [{"name": "vh", "domains": ["*"],
           "requestHeadersToAdd": [{"header": {"key": "level", "value": "vhost"}}],
           "routes": [{"name": "r", "match": {"prefix": "/"},
             "requestHeadersToAdd": [{"header": {"key": "level", "value": "route"}}],
             "route": {"weightedClusters": {"clusters": [{"name": "w", "weight": 1,
               "requestHeadersToAdd": [{"header": {"key": "level", "value": "cluster"}}]}]}}}]}]}
        """;
    RouteDecision.Forward defaultOrder = forward(RouteTables.table(config.formatted(false)), get("/"));
    assertThat(values(defaultOrder.requestHeaderMutations())).containsExactly("cluster", "route", "vhost", "config");
    assertThat(defaultOrder.responseHeaderMutations()).extracting(HeaderMutation::remove)
        .containsExactly(List.of("server"));
    RouteDecision.Forward specificWins = forward(RouteTables.table(config.formatted(true)), get("/"));
    assertThat(values(specificWins.requestHeaderMutations())).containsExactly("cluster", "config", "vhost", "route");
  }

  private static List<String> values(List<HeaderMutation> mutations) {
    return mutations.stream().map(m -> m.add().get(0).value()).toList();
  }

  @Test
  void prefixRewrite_replacesTheMatchedPrefix_keepingTheRestAndQuery() {
    CompiledRouteTable table = routes("""
        {"name": "p", "match": {"prefix": "/api/"}, "route": {"cluster": "c", "prefixRewrite": "/v2/"}},
        {"name": "e", "match": {"path": "/exact"}, "route": {"cluster": "c", "prefixRewrite": "/other"}},
        {"name": "r", "match": {"safeRegex": {"regex": "/re.*"}}, "route": {"cluster": "c", "prefixRewrite": "/x"}}
        """);
    assertThat(forward(table, get("/api/users?id=1")).path()).contains("/v2/users?id=1");
    assertThat(forward(table, get("/exact?q=2")).path()).contains("/other?q=2");
    assertThat(forward(table, get("/regex/a?b")).path()).contains("/x?b");
  }

  @Test
  void regexRewrite_substitutesInThePathWithoutQuery_withGroups() {
    CompiledRouteTable table = action("""
        {"cluster": "c", "regexRewrite": {"pattern": {"regex": "^/service/([^/]+)(/.*)$"},
                                           "substitution": "\\\\2/instance/\\\\1"}}
        """);
    assertThat(forward(table, get("/service/foo/v1/api?x=1")).path()).contains("/v1/api/instance/foo?x=1");
  }

  @Test
  void hostRewrite_literal_header_andAuto() {
    assertThat(forward(action("{\"cluster\": \"c\", \"hostRewriteLiteral\": \"new.host\"}"), get("/")).authority())
        .contains("new.host");
    CompiledRouteTable byHeader = action("{\"cluster\": \"c\", \"hostRewriteHeader\": \"x-host\"}");
    assertThat(forward(byHeader, get("/", Map.of("x-host", "h.example"))).authority()).contains("h.example");
    assertThat(forward(byHeader, get("/")).authority()).isEmpty();
    RouteDecision.Forward auto = forward(action("{\"cluster\": \"c\", \"autoHostRewrite\": true}"), get("/"));
    assertThat(auto.autoHostRewrite()).isTrue();
    assertThat(auto.authority()).isEmpty();
  }

  @Test
  void mirrors_routeOverridesVirtualHost_andFractionalMirrorsAreDrawn() {
    String config = """
        {"name": "t", "virtualHosts": [{"name": "vh", "domains": ["*"],
          "requestMirrorPolicies": [{"cluster": "vh-mirror"}],
          "routes": [
            {"name": "half", "match": {"prefix": "/half"}, "route": {"cluster": "c", "requestMirrorPolicies": [
              {"cluster": "half-mirror",
               "runtimeFraction": {"defaultValue": {"numerator": 50, "denominator": "HUNDRED"}}}]}},
            {"name": "inherit", "match": {"prefix": "/"}, "route": {"cluster": "c"}}]}]}
        """;
    CompiledRouteTable table = RouteTables.table(config);
    assertThat(forward(table, get("/x")).mirrors()).extracting(m -> m.cluster()).containsExactly("vh-mirror");
    SplittableRandom random = new SplittableRandom(3);
    int mirrored = 0;
    for (int i = 0; i < 10_000; i++) {
      mirrored += ((RouteDecision.Forward) table.decide(get("/half"), random)).mirrors().size();
    }
    // 50% of 10,000: standard deviation 50; tolerance 400.
    assertThat(mirrored).isBetween(4_600, 5_400);
  }

  @Test
  void grpcTimeoutHeader_setsTheTimeout_cappedByTheMaximum_minusTheOffset() {
    CompiledRouteTable istio = action("""
        {"cluster": "c", "timeout": "0s",
         "maxStreamDuration": {"maxStreamDuration": "0s", "grpcTimeoutHeaderMax": "0s"}}
        """);
    Map<String, String> grpc = Map.of("content-type", "application/grpc", "grpc-timeout", "1500m");
    RouteDecision.Forward withDeadline = forward(istio, get("/pkg.S/M", grpc));
    assertThat(withDeadline.timeout()).contains(Duration.ofMillis(1500));
    assertThat(withDeadline.maxStreamDuration()).contains(Duration.ofMillis(1500));
    RouteDecision.Forward noDeadline = forward(istio, get("/pkg.S/M", Map.of("content-type", "application/grpc")));
    assertThat(noDeadline.timeout()).isEmpty();
    assertThat(noDeadline.maxStreamDuration()).isEmpty();
    assertThat(forward(istio, get("/http")).timeout()).isEmpty();

    CompiledRouteTable capped = action("""
        {"cluster": "c", "maxStreamDuration": {"grpcTimeoutHeaderMax": "1s", "grpcTimeoutHeaderOffset": "0.1s"}}
        """);
    assertThat(forward(capped, get("/pkg.S/M", grpc)).timeout()).contains(Duration.ofSeconds(1));
    assertThat(forward(capped, get("/pkg.S/M", grpc)).maxStreamDuration()).contains(Duration.ofMillis(900));
    Map<String, String> shortDeadline = Map.of("content-type", "application/grpc", "grpc-timeout", "500000u");
    assertThat(forward(capped, get("/pkg.S/M", shortDeadline)).timeout()).contains(Duration.ofMillis(400));
    assertThat(forward(capped, get("/pkg.S/M", Map.of("content-type", "application/grpc"))).timeout())
        .contains(Duration.ofSeconds(1));
    assertThat(forward(capped, get("/http")).timeout()).contains(Duration.ofSeconds(15));
  }

  @Test
  void grpcTimeout_parsesEveryUnit_andRejectsMalformedValues() {
    assertThat(Timeouts.parseGrpcTimeout("2H")).isEqualTo(Duration.ofHours(2));
    assertThat(Timeouts.parseGrpcTimeout("3M")).isEqualTo(Duration.ofMinutes(3));
    assertThat(Timeouts.parseGrpcTimeout("4S")).isEqualTo(Duration.ofSeconds(4));
    assertThat(Timeouts.parseGrpcTimeout("5m")).isEqualTo(Duration.ofMillis(5));
    assertThat(Timeouts.parseGrpcTimeout("6u")).isEqualTo(Duration.ofNanos(6_000));
    assertThat(Timeouts.parseGrpcTimeout("7n")).isEqualTo(Duration.ofNanos(7));
    assertThat(Timeouts.parseGrpcTimeout("123456789S")).isNull();
    assertThat(Timeouts.parseGrpcTimeout("1x")).isNull();
    assertThat(Timeouts.parseGrpcTimeout("S")).isNull();
    assertThat(Timeouts.parseGrpcTimeout(null)).isNull();
  }

  @Test
  void maxStreamDuration_routeValueWins_zeroDisables() {
    RouteDecision.Forward f = forward(action("{\"cluster\": \"c\", \"maxStreamDuration\": {\"maxStreamDuration\": \"30s\"}}"),
        get("/"));
    assertThat(f.maxStreamDuration()).contains(Duration.ofSeconds(30));
    assertThat(forward(action("{\"cluster\": \"c\"}"), get("/")).maxStreamDuration()).isEmpty();
  }
}
