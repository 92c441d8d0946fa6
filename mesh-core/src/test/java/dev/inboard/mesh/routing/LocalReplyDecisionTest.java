package dev.inboard.mesh.routing;

import static dev.inboard.mesh.routing.RouteTables.routes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalReplyDecisionTest {

  private static RouteDecision.Redirect redirect(String redirectJson, String scheme, String authority, String path) {
    CompiledRouteTable table = routes("""
        {"name": "r", "match": {"prefix": "/old"}, "redirect": %s}
        """.formatted(redirectJson));
    return (RouteDecision.Redirect) table.decide(
        RequestInfo.of("GET", scheme, authority, path, Headers.single(Map.of())), RouteTables.random());
  }

  @Test
  void httpsRedirect_keepsHostAndPath_dropsTheOldSchemesDefaultPort() {
    RouteDecision.Redirect r = redirect("{\"httpsRedirect\": true}", "http", "example.com:80", "/old/a?b=1");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.location()).isEqualTo("https://example.com/old/a?b=1");
    assertThat(redirect("{\"httpsRedirect\": true}", "http", "example.com:8080", "/old").location())
        .isEqualTo("https://example.com:8080/old");
  }

  @Test
  void hostPortAndPathRedirect_withResponseCode() {
    RouteDecision.Redirect r = redirect("""
        {"hostRedirect": "new.example.com", "portRedirect": 8443, "pathRedirect": "/new", "responseCode": "FOUND"}
        """, "http", "example.com:8080", "/old/x?q=1");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.location()).isEqualTo("http://new.example.com:8443/new?q=1");
    assertThat(redirect("{\"portRedirect\": 9000}", "http", "example.com:8080", "/old").location())
        .isEqualTo("http://example.com:9000/old");
  }

  @Test
  void pathRedirectWithItsOwnQuery_winsAndIsNeverStripped() {
    assertThat(redirect("{\"pathRedirect\": \"/new?x=1\", \"stripQuery\": true}", "http", "h", "/old?q=2")
        .location()).isEqualTo("http://h/new?x=1");
  }

  @Test
  void prefixRewriteRedirect_replacesTheMatchedPrefix_andStripQueryDropsTheQuery() {
    assertThat(redirect("{\"prefixRewrite\": \"/new\", \"stripQuery\": true}", "https", "h", "/old/a?q=2")
        .location()).isEqualTo("https://h/new/a");
    assertThat(redirect("{\"schemeRedirect\": \"http\"}", "https", "h:443", "/old").location())
        .isEqualTo("http://h/old");
  }

  @Test
  void regexRewriteRedirect_substitutesThePath() {
    assertThat(redirect("""
        {"regexRewrite": {"pattern": {"regex": "^/old/(.*)$"}, "substitution": "/v2/\\\\1"}}
        """, "http", "h", "/old/a/b?q").location()).isEqualTo("http://h/v2/a/b?q");
  }

  @Test
  void directResponse_carriesStatusAndBody() {
    CompiledRouteTable table = routes("""
        {"name": "block", "match": {"prefix": "/"}, "directResponse": {"status": 403,
         "body": {"inlineString": "denied"}}},
        """.strip().replaceAll(",$", ""));
    RouteDecision.DirectResponse d =
        (RouteDecision.DirectResponse) table.decide(RouteTables.get("/"), RouteTables.random());
    assertThat(d.status()).isEqualTo(403);
    assertThat(d.body()).isEqualTo(Optional.of("denied"));
  }

  @Test
  void nonForwardingAction_letsTheServerAnswer() {
    CompiledRouteTable table = routes("""
        {"name": "inbound|8080||", "match": {"prefix": "/"}, "nonForwardingAction": {}}
        """);
    RouteDecision decision = table.decide(RouteTables.get("/pkg.Svc/Method"), RouteTables.random());
    assertThat(decision).isInstanceOf(RouteDecision.NonForwarding.class);
    assertThat(((RouteDecision.NonForwarding) decision).route().name()).isEqualTo("inbound|8080||");
  }
}
