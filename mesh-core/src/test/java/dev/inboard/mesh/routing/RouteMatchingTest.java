package dev.inboard.mesh.routing;

import static dev.inboard.mesh.routing.RouteTables.get;
import static dev.inboard.mesh.routing.RouteTables.routeName;
import static dev.inboard.mesh.routing.RouteTables.routes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.decision.ResponseFlag;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteMatchingTest {

  private static String route(String name, String match) {
    return """
        {"name": "%s", "match": %s, "route": {"cluster": "c"}}
        """.formatted(name, match);
  }

  private static CompiledRouteTable single(String match) {
    return routes(route("r", match));
  }

  private static boolean matches(CompiledRouteTable table, RequestInfo request) {
    return routeName(table, request).equals("r");
  }

  @Test
  void prefix_matchesTheWholePathIncludingQuery_caseSensitiveByDefault() {
    CompiledRouteTable table = single("{\"prefix\": \"/api/v1\"}");
    assertThat(matches(table, get("/api/v1"))).isTrue();
    assertThat(matches(table, get("/api/v1x/y?q=1"))).isTrue();
    assertThat(matches(table, get("/API/v1"))).isFalse();
    assertThat(matches(table, get("/api"))).isFalse();
    assertThat(matches(routes(route("r", "{\"prefix\": \"/a?b\"}")), get("/a?b=1"))).isTrue();
  }

  @Test
  void prefix_caseInsensitive_foldsAscii() {
    CompiledRouteTable table = single("{\"prefix\": \"/Api\", \"caseSensitive\": false}");
    assertThat(matches(table, get("/aPI/x"))).isTrue();
    assertThat(matches(table, get("/ap"))).isFalse();
  }

  @Test
  void exactPath_ignoresQueryAndFragment() {
    CompiledRouteTable table = single("{\"path\": \"/reviews/1\"}");
    assertThat(matches(table, get("/reviews/1"))).isTrue();
    assertThat(matches(table, get("/reviews/1?x=y"))).isTrue();
    assertThat(matches(table, get("/reviews/1#frag"))).isTrue();
    assertThat(matches(table, get("/reviews/10"))).isFalse();
    assertThat(matches(table, get("/reviews/"))).isFalse();
    assertThat(matches(single("{\"path\": \"/Reviews\", \"caseSensitive\": false}"), get("/rEVIEWS?a"))).isTrue();
  }

  @Test
  void safeRegex_isAFullMatchOnThePathWithoutQuery_andIgnoresCaseSensitivity() {
    CompiledRouteTable table = single("{\"safeRegex\": {\"regex\": \"/reviews/[0-9]+\"}}");
    assertThat(matches(table, get("/reviews/12?x=1"))).isTrue();
    assertThat(matches(table, get("/reviews/12/x"))).isFalse();
    assertThat(matches(table, get("/v/reviews/12"))).isFalse();
    CompiledRouteTable insensitive =
        single("{\"safeRegex\": {\"regex\": \"/a.*\"}, \"caseSensitive\": false}");
    assertThat(matches(insensitive, get("/A"))).isFalse();
  }

  @Test
  void pathSeparatedPrefix_matchesWholeSegmentsOnly() {
    CompiledRouteTable table = single("{\"pathSeparatedPrefix\": \"/api\"}");
    assertThat(matches(table, get("/api"))).isTrue();
    assertThat(matches(table, get("/api/x"))).isTrue();
    assertThat(matches(table, get("/api?x=1"))).isTrue();
    assertThat(matches(table, get("/apix"))).isFalse();
    assertThat(matches(table, get("/API/x"))).isFalse();
  }

  @Test
  void headers_exactPrefixSuffixContainsRegex_withIgnoreCase() {
    assertThat(matches(header("{\"name\": \"end-user\", \"stringMatch\": {\"exact\": \"jason\"}}"),
        get("/", Map.of("end-user", "jason")))).isTrue();
    assertThat(matches(header("{\"name\": \"end-user\", \"stringMatch\": {\"exact\": \"jason\"}}"),
        get("/", Map.of("end-user", "Jason")))).isFalse();
    assertThat(matches(header("{\"name\": \"End-User\", \"stringMatch\": {\"exact\": \"jason\", \"ignoreCase\": true}}"),
        get("/", Map.of("end-user", "JASON")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"prefix\": \"ab\"}}"),
        get("/", Map.of("x", "abc")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"suffix\": \"bc\"}}"),
        get("/", Map.of("x", "abc")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"suffix\": \"bd\"}}"),
        get("/", Map.of("x", "abc")))).isFalse();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"contains\": \"B\", \"ignoreCase\": true}}"),
        get("/", Map.of("x", "abc")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"safeRegex\": {\"regex\": \"a.c\"}}}"),
        get("/", Map.of("x", "abc")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"stringMatch\": {\"safeRegex\": {\"regex\": \"a\"}}}"),
        get("/", Map.of("x", "abc")))).isFalse();
  }

  @Test
  void headers_missingHeader_failsValueMatchEvenInverted_unlessTreatedAsEmpty() {
    String exactEmpty = "{\"name\": \"x\", \"stringMatch\": {\"exact\": \"\"}%s}";
    assertThat(matches(header(exactEmpty.formatted("")), get("/"))).isFalse();
    assertThat(matches(header(exactEmpty.formatted(", \"invertMatch\": true")), get("/"))).isFalse();
    assertThat(matches(header(exactEmpty.formatted(", \"invertMatch\": true, \"treatMissingHeaderAsEmpty\": true")),
        get("/"))).isFalse();
    String exactA = "{\"name\": \"x\", \"stringMatch\": {\"exact\": \"a\"}, \"invertMatch\": true%s}";
    assertThat(matches(header(exactA.formatted(", \"treatMissingHeaderAsEmpty\": true")), get("/"))).isTrue();
    assertThat(matches(header(exactA.formatted("")), get("/", Map.of("x", "b")))).isTrue();
    assertThat(matches(header(exactEmpty.formatted(", \"treatMissingHeaderAsEmpty\": true")), get("/"))).isTrue();
    assertThat(matches(header(exactEmpty.formatted(", \"invertMatch\": true")), get("/", Map.of("x", ""))))
        .isFalse();
  }

  @Test
  void headers_presentMatch_andItsInversion() {
    assertThat(matches(header("{\"name\": \"x\", \"presentMatch\": true}"), get("/", Map.of("x", "")))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"presentMatch\": true}"), get("/"))).isFalse();
    assertThat(matches(header("{\"name\": \"x\", \"presentMatch\": false}"), get("/"))).isTrue();
    assertThat(matches(header("{\"name\": \"x\", \"presentMatch\": true, \"invertMatch\": true}"), get("/")))
        .isTrue();
  }

  @Test
  void headers_rangeMatch_isHalfOpenOnBase10Integers() {
    CompiledRouteTable table = header("{\"name\": \"x\", \"rangeMatch\": {\"start\": \"-10\", \"end\": \"10\"}}");
    assertThat(matches(table, get("/", Map.of("x", "-10")))).isTrue();
    assertThat(matches(table, get("/", Map.of("x", "9")))).isTrue();
    assertThat(matches(table, get("/", Map.of("x", "10")))).isFalse();
    assertThat(matches(table, get("/", Map.of("x", "1.5")))).isFalse();
    assertThat(matches(table, get("/", Map.of("x", "abc")))).isFalse();
  }

  @Test
  void headers_multipleValues_areMatchedJoinedByComma() {
    CompiledRouteTable table = header("{\"name\": \"x\", \"stringMatch\": {\"exact\": \"a,b\"}}");
    RequestInfo twoValues = RequestInfo.of("GET", "http", "svc", "/", Headers.of(Map.of("x", List.of("a", "b"))));
    assertThat(matches(table, twoValues)).isTrue();
    assertThat(matches(table, get("/", Map.of("x", "a")))).isFalse();
  }

  @Test
  void headers_allMustMatch() {
    CompiledRouteTable table = single("""
        {"prefix": "/", "headers": [{"name": "a", "stringMatch": {"exact": "1"}},
                                    {"name": "b", "stringMatch": {"exact": "2"}}]}
        """);
    assertThat(matches(table, get("/", Map.of("a", "1", "b", "2")))).isTrue();
    assertThat(matches(table, get("/", Map.of("a", "1")))).isFalse();
  }

  @Test
  void queryParameters_firstValueDecoded_presentMatch_andStringMatch() {
    CompiledRouteTable present = single("""
        {"prefix": "/", "queryParameters": [{"name": "debug", "presentMatch": true}]}
        """);
    assertThat(matches(present, get("/x?debug"))).isTrue();
    assertThat(matches(present, get("/x?a=1&debug=0"))).isTrue();
    assertThat(matches(present, get("/x?debugging=1"))).isFalse();
    assertThat(matches(present, get("/x"))).isFalse();
    CompiledRouteTable value = single("""
        {"prefix": "/", "queryParameters": [{"name": "user", "stringMatch": {"exact": "a b"}}]}
        """);
    assertThat(matches(value, get("/x?user=a%20b&user=c"))).isTrue();
    assertThat(matches(value, get("/x?user=c&user=a%20b"))).isFalse();
  }

  @Test
  void grpcFlag_requiresAGrpcContentType() {
    CompiledRouteTable table = single("{\"prefix\": \"/\", \"grpc\": {}}");
    assertThat(matches(table, get("/pkg.Svc/Method", Map.of("content-type", "application/grpc")))).isTrue();
    assertThat(matches(table, get("/pkg.Svc/Method", Map.of("content-type", "application/grpc+proto")))).isTrue();
    assertThat(matches(table, get("/pkg.Svc/Method", Map.of("content-type", "application/grpcx")))).isFalse();
    assertThat(matches(table, get("/pkg.Svc/Method", Map.of("content-type", "application/json")))).isFalse();
  }

  @Test
  void runtimeFraction_takesItsShareOfRequests() {
    CompiledRouteTable table = routes(route("r", """
        {"prefix": "/", "runtimeFraction": {"defaultValue": {"numerator": 25, "denominator": "HUNDRED"},
                                            "runtimeKey": "k"}}
        """) + "," + route("rest", "{\"prefix\": \"/\"}"));
    SplittableRandom random = new SplittableRandom(7);
    int n = 100_000;
    int hits = 0;
    for (int i = 0; i < n; i++) {
      RouteDecision.Forward f = (RouteDecision.Forward) table.decide(get("/"), random);
      hits += f.route().name().equals("r") ? 1 : 0;
    }
    // 25% of 100,000 has a standard deviation of ~137; allow 1,000 (over 7 sigma).
    assertThat(hits).isBetween(24_000, 26_000);
  }

  @Test
  void firstMatchingRouteWins_andNoMatchIsNr404() {
    CompiledRouteTable table = routes(String.join(",",
        route("exact", "{\"path\": \"/a/b\"}"),
        route("prefix", "{\"prefix\": \"/a\"}"),
        route("shadowed", "{\"prefix\": \"/a/b\"}")));
    assertThat(routeName(table, get("/a/b"))).isEqualTo("exact");
    assertThat(routeName(table, get("/a/b/c"))).isEqualTo("prefix");
    assertThat(routeName(table, get("/b"))).isEqualTo(ResponseFlag.NR.code());
    RouteDecision.Rejected rejected = (RouteDecision.Rejected) table.decide(get("/b"), RouteTables.random());
    assertThat(rejected.failure().httpStatus()).isEqualTo(404);
    assertThat(rejected.failure().reason())
        .isEqualTo("no route of virtual host vh in route configuration test matches GET /b");
  }

  private static CompiledRouteTable header(String headerMatcher) {
    return single("{\"prefix\": \"/\", \"headers\": [" + headerMatcher + "]}");
  }
}
