package dev.inboard.mesh.routing;

import dev.inboard.mesh.lb.XxHash64;
import static dev.inboard.mesh.routing.RouteTables.forward;
import static dev.inboard.mesh.routing.RouteTables.get;
import static dev.inboard.mesh.routing.RouteTables.routes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.HttpFilterConfig;
import dev.inboard.mesh.routing.RouteDecision.Abort;
import dev.inboard.mesh.xds.parse.RouteConfigJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashAndFaultDecisionTest {

  private static CompiledRouteTable hashing(String hashPolicies) {
    return routes("""
        {"name": "r", "match": {"prefix": "/"}, "route": {"cluster": "c", "hashPolicy": [%s]}}
        """.formatted(hashPolicies));
  }

  private static RequestInfo from(String ip, String path, Map<String, String> headers) {
    return new RequestInfo("GET", "http", "svc", path, Headers.single(headers), ip, 40000);
  }

  @Test
  void headerHash_isXxHash64OfTheValue() {
    CompiledRouteTable table = hashing("{\"header\": {\"headerName\": \"x-user\"}}");
    RouteDecision.RequestHash hash = forward(table, get("/", Map.of("x-user", "foo"))).hash().get();
    assertThat(hash.value()).isEqualTo(XxHash64.hash("foo", 0));
    assertThat(hash.cookieToSet()).isEmpty();
    assertThat(forward(table, get("/")).hash()).isEmpty();
  }

  @Test
  void headerHash_multipleValuesAreSortedAndChained_andRegexRewriteApplies() {
    CompiledRouteTable table = hashing("{\"header\": {\"headerName\": \"x-user\"}}");
    RequestInfo twoValues = RequestInfo.of("GET", "http", "svc", "/", Headers.of(Map.of("x-user", List.of("b", "a"))));
    assertThat(forward(table, twoValues).hash().get().value())
        .isEqualTo(XxHash64.hash("b", XxHash64.hash("a", 0)));
    CompiledRouteTable rewritten = hashing("""
        {"header": {"headerName": "x-user",
                    "regexRewrite": {"pattern": {"regex": "-[0-9]+$"}, "substitution": ""}}}
        """);
    assertThat(forward(rewritten, get("/", Map.of("x-user", "alice-42"))).hash().get().value())
        .isEqualTo(XxHash64.hash("alice", 0));
  }

  @Test
  void policies_combineByRotation_andTerminalStopsOnceAHashExists() {
    CompiledRouteTable table = hashing("""
        {"header": {"headerName": "a"}, "terminal": true},
        {"header": {"headerName": "b"}}
        """);
    long a = XxHash64.hash("1", 0);
    long b = XxHash64.hash("2", 0);
    assertThat(forward(table, get("/", Map.of("a", "1", "b", "2"))).hash().get().value()).isEqualTo(a);
    assertThat(forward(table, get("/", Map.of("b", "2"))).hash().get().value()).isEqualTo(b);
    CompiledRouteTable both = hashing("{\"header\": {\"headerName\": \"a\"}}, {\"header\": {\"headerName\": \"b\"}}");
    assertThat(forward(both, get("/", Map.of("a", "1", "b", "2"))).hash().get().value())
        .isEqualTo(Long.rotateLeft(a, 1) ^ b);
  }

  @Test
  void sourceIpAndQueryParameterHashes() {
    CompiledRouteTable ip = hashing("{\"connectionProperties\": {\"sourceIp\": true}}");
    assertThat(forward(ip, from("10.1.2.3", "/", Map.of())).hash().get().value())
        .isEqualTo(XxHash64.hash("10.1.2.3", 0));
    assertThat(forward(ip, get("/")).hash()).isEmpty();
    CompiledRouteTable query = hashing("{\"queryParameter\": {\"name\": \"session\"}}");
    assertThat(forward(query, get("/x?a=1&session=abc")).hash().get().value()).isEqualTo(XxHash64.hash("abc", 0));
  }

  @Test
  void cookieHash_usesTheCookie_orGeneratesOneWithTtl() {
    CompiledRouteTable table = hashing("{\"cookie\": {\"name\": \"sticky\", \"ttl\": \"3600s\", \"path\": \"/\"}}");
    RouteDecision.RequestHash existing =
        forward(table, from("10.0.0.1", "/", Map.of("cookie", "a=1; sticky=\"v42\"; b=2"))).hash().get();
    assertThat(existing.value()).isEqualTo(XxHash64.hash("v42", 0));
    assertThat(existing.cookieToSet()).isEmpty();

    RouteDecision.RequestHash generated = forward(table, from("10.0.0.1", "/", Map.of())).hash().get();
    String expected = String.format("%016x", XxHash64.hash("10.0.0.1:40000", 0));
    assertThat(generated.cookieToSet()).contains(
        new RouteDecision.GeneratedCookie("sticky", expected, Duration.ofHours(1), Optional.of("/")));
    assertThat(generated.value()).isEqualTo(XxHash64.hash(expected, 0));
    assertThat(generated.cookieToSet().get().setCookieHeader())
        .isEqualTo("sticky=\"" + expected + "\"; Max-Age=3600; Path=/; HttpOnly");

    CompiledRouteTable noTtl = hashing("{\"cookie\": {\"name\": \"sticky\"}}");
    assertThat(forward(noTtl, from("10.0.0.1", "/", Map.of())).hash()).isEmpty();
  }

  private static final String FAULT_TYPE = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";

  private static CompiledRouteTable faulted(String fault) {
    return routes("""
        {"name": "r", "match": {"prefix": "/"}, "route": {"cluster": "c"},
         "typedPerFilterConfig": {"envoy.filters.http.fault": {"@type": "%s", %s}}}
        """.formatted(FAULT_TYPE, fault));
  }

  @Test
  void routeFault_delayAndAbortAtFullPercentage_areAlwaysInjected() {
    CompiledRouteTable table = faulted("""
        "delay": {"fixedDelay": "7s", "percentage": {"numerator": 100, "denominator": "HUNDRED"}},
        "abort": {"httpStatus": 503, "percentage": {"numerator": 100, "denominator": "HUNDRED"}}
        """);
    RouteDecision.InjectedFault fault = forward(table, get("/")).fault().get();
    assertThat(fault.delay()).contains(Duration.ofSeconds(7));
    assertThat(fault.abort()).contains(new Abort(503, Optional.empty()));
  }

  @Test
  void routeFault_abortPercentage_isDrawnPerRequest() {
    CompiledRouteTable table = faulted("""
        "abort": {"grpcStatus": 14, "percentage": {"numerator": 10, "denominator": "HUNDRED"}}
        """);
    SplittableRandom random = new SplittableRandom(11);
    int aborted = 0;
    for (int i = 0; i < 20_000; i++) {
      RouteDecision.Forward f = (RouteDecision.Forward) table.decide(get("/"), random);
      if (f.fault().isPresent()) {
        assertThat(f.fault().get().abort()).contains(new Abort(200, Optional.of(14)));
        aborted++;
      }
    }
    // 10% of 20,000: standard deviation ~42; tolerance 400.
    assertThat(aborted).isBetween(1_600, 2_400);
  }

  @Test
  void fault_headersMustMatch_andUpstreamClusterMustBeTheRoutes() {
    CompiledRouteTable table = faulted("""
        "abort": {"httpStatus": 500, "percentage": {"numerator": 100}},
        "headers": [{"name": "x-test", "presentMatch": true}]
        """);
    assertThat(forward(table, get("/")).fault()).isEmpty();
    assertThat(forward(table, get("/", Map.of("x-test", "1"))).fault()).isPresent();
    CompiledRouteTable other = faulted("""
        "abort": {"httpStatus": 500, "percentage": {"numerator": 100}}, "upstreamCluster": "elsewhere"
        """);
    assertThat(forward(other, get("/")).fault()).isEmpty();
  }

  @Test
  void headerControlledFault_readsDelayAndAbortHeaders() {
    CompiledRouteTable table = faulted("""
        "delay": {"headerDelay": {}, "percentage": {"numerator": 100}},
        "abort": {"headerAbort": {}, "percentage": {"numerator": 100}}
        """);
    RouteDecision.InjectedFault fault = forward(table, get("/", Map.of(
        "x-envoy-fault-delay-request", "250", "x-envoy-fault-abort-request", "429"))).fault().get();
    assertThat(fault.delay()).contains(Duration.ofMillis(250));
    assertThat(fault.abort()).contains(new Abort(429, Optional.empty()));
    assertThat(forward(table, get("/", Map.of("x-envoy-fault-abort-grpc-request", "8"))).fault().get().abort())
        .contains(new Abort(200, Optional.of(8)));
    assertThat(forward(table, get("/", Map.of("x-envoy-fault-abort-request", "99"))).fault()).isEmpty();
    assertThat(forward(table, get("/", Map.of("x-envoy-fault-delay-request", "250",
        "x-envoy-fault-delay-request-percentage", "0"))).fault()).isEmpty();
  }

  @Test
  void fault_filterDefaultApplies_routeOverrideReplacesIt_andDisabledTurnsItOff() {
    String json = """
        {"name": "t", "virtualHosts": [{"name": "vh", "domains": ["*"], "routes": [
          {"name": "off", "match": {"prefix": "/off"}, "route": {"cluster": "c"},
           "typedPerFilterConfig": {"envoy.filters.http.fault": {
             "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "disabled": true}}},
          {"name": "own", "match": {"prefix": "/own"}, "route": {"cluster": "c"},
           "typedPerFilterConfig": {"envoy.filters.http.fault": {"@type": "%s",
             "abort": {"httpStatus": 418, "percentage": {"numerator": 100}}}}},
          {"name": "default", "match": {"prefix": "/"}, "route": {"cluster": "c"}}]}]}
        """.formatted(FAULT_TYPE);
    FaultConfig filterDefault = new FaultConfig(Optional.empty(),
        Optional.of(new FaultConfig.Abort.HttpStatus(500, dev.inboard.mesh.config.Fraction.ALL)),
        Optional.empty(), List.of(), List.of(), Optional.empty());
    RoutingOptions options = new RoutingOptions(
        Optional.of(new HttpFilterConfig.Fault("envoy.filters.http.fault", filterDefault, false)), Optional.empty());
    CompiledRouteTable table = CompiledRouteTable.compile(RouteConfigJson.parse(json), options);
    assertThat(forward(table, get("/off")).fault()).isEmpty();
    assertThat(forward(table, get("/own")).fault().get().abort().get().httpStatus()).isEqualTo(418);
    assertThat(forward(table, get("/x")).fault().get().abort().get().httpStatus()).isEqualTo(500);

    RoutingOptions noFaultFilter = new RoutingOptions(Optional.empty(), Optional.empty());
    CompiledRouteTable withoutFilter = CompiledRouteTable.compile(RouteConfigJson.parse(json), noFaultFilter);
    assertThat(forward(withoutFilter, get("/own")).fault()).isEmpty();
  }
}
