package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.decision.ResponseFlag;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualHostSelectionTest {

  private static CompiledRouteTable hosts(boolean ignorePort, String... domainLists) {
    StringBuilder vhosts = new StringBuilder();
    for (int i = 0; i < domainLists.length; i++) {
      if (i > 0) {
        vhosts.append(',');
      }
      vhosts.append("""
          {"name": "vh%1$d", "domains": [%2$s],
           "routes": [{"name": "vh%1$d", "match": {"prefix": "/"}, "route": {"cluster": "c%1$d"}}]}
          """.formatted(i, domainLists[i]));
    }
    return RouteTables.table("""
        {"name": "80", "ignorePortInHostMatching": %s, "virtualHosts": [%s]}
        """.formatted(ignorePort, vhosts));
  }

  private static String vhostFor(CompiledRouteTable table, String authority) {
    return RouteTables.routeName(table, RouteTables.request("GET", authority, "/", Map.of()));
  }

  @Test
  void exactDomain_winsOverEveryWildcard() {
    CompiledRouteTable table = hosts(false, "\"*\"", "\"*.example.com\"", "\"www.example.com\"", "\"www.*\"");
    assertThat(vhostFor(table, "www.example.com")).isEqualTo("vh2");
  }

  @Test
  void suffixWildcards_longestWins_andBeatPrefixWildcards() {
    CompiledRouteTable table = hosts(false, "\"*.com\"", "\"*.example.com\"", "\"api.*\"", "\"*\"");
    assertThat(vhostFor(table, "api.example.com")).isEqualTo("vh1");
    assertThat(vhostFor(table, "api.other.com")).isEqualTo("vh0");
    assertThat(vhostFor(table, "api.example.org")).isEqualTo("vh2");
    assertThat(vhostFor(table, "example.org")).isEqualTo("vh3");
  }

  @Test
  void dashSuffixWildcard_matchesLikeDotSuffix() {
    CompiledRouteTable table = hosts(false, "\"*-bar.foo.com\"", "\"*\"");
    assertThat(vhostFor(table, "baz-bar.foo.com")).isEqualTo("vh0");
    assertThat(vhostFor(table, "baz.bar.foo.com")).isEqualTo("vh1");
  }

  @Test
  void wildcard_mustMatchAtLeastOneCharacter() {
    CompiledRouteTable table = hosts(false, "\"*.foo.com\"", "\"foo.*\"", "\"*\"");
    assertThat(vhostFor(table, ".foo.com")).isEqualTo("vh2");
    assertThat(vhostFor(table, "foo.")).isEqualTo("vh2");
    assertThat(vhostFor(table, "a.foo.com")).isEqualTo("vh0");
    assertThat(vhostFor(table, "foo.x")).isEqualTo("vh1");
  }

  @Test
  void longestPrefixWildcard_wins() {
    CompiledRouteTable table = hosts(false, "\"foo.*\"", "\"foo.bar.*\"");
    assertThat(vhostFor(table, "foo.bar.com")).isEqualTo("vh1");
    assertThat(vhostFor(table, "foo.baz.com")).isEqualTo("vh0");
  }

  @Test
  void hostMatching_ignoresCase() {
    CompiledRouteTable table = hosts(false, "\"Reviews.Default.svc.cluster.local\"", "\"*.Example.COM\"");
    assertThat(vhostFor(table, "REVIEWS.default.SVC.cluster.local")).isEqualTo("vh0");
    assertThat(vhostFor(table, "www.EXAMPLE.com")).isEqualTo("vh1");
  }

  @Test
  void authorityWithPort_matchesOnlyDomainsNamingThePort_unlessPortsAreIgnored() {
    String[] istio = {"\"reviews\", \"reviews:9080\"", "\"ratings\""};
    CompiledRouteTable strict = hosts(false, istio);
    assertThat(vhostFor(strict, "reviews:9080")).isEqualTo("vh0");
    assertThat(vhostFor(strict, "reviews")).isEqualTo("vh0");
    assertThat(vhostFor(strict, "ratings:9080")).isEqualTo(ResponseFlag.NR.code());

    CompiledRouteTable ignoring = hosts(true, istio);
    assertThat(vhostFor(ignoring, "ratings:9080")).isEqualTo("vh1");
    assertThat(vhostFor(ignoring, "[::1]:9080")).isEqualTo(ResponseFlag.NR.code());
  }

  @Test
  void ignoredPort_isWhatFollowsTheLastColonOutsideIpv6Brackets() {
    CompiledRouteTable table = hosts(true, "\"[::1]\"", "\"10.0.0.1\"", "\"host\"");
    assertThat(vhostFor(table, "[::1]:8080")).isEqualTo("vh0");
    assertThat(vhostFor(table, "[::1]")).isEqualTo("vh0");
    assertThat(vhostFor(table, "10.0.0.1:80")).isEqualTo("vh1");
    assertThat(vhostFor(table, "host:abc")).isEqualTo("vh2");
    assertThat(VirtualHostSelector.hostEnd("host:")).isEqualTo(4);
    assertThat(VirtualHostSelector.hostEnd("::1")).isEqualTo(1);
    assertThat(VirtualHostSelector.hostEnd("[::1]")).isEqualTo(5);
  }

  @Test
  void noVirtualHost_isRejectedWithNr404NamingTheAuthority() {
    CompiledRouteTable table = hosts(false, "\"reviews\"");
    RouteDecision decision = table.decide(RouteTables.request("GET", "details:9080", "/", Map.of()),
        RouteTables.random());
    assertThat(decision).isInstanceOf(RouteDecision.Rejected.class);
    RouteDecision.Rejected rejected = (RouteDecision.Rejected) decision;
    assertThat(rejected.failure().flag()).isEqualTo(ResponseFlag.NR);
    assertThat(rejected.failure().httpStatus()).isEqualTo(404);
    assertThat(rejected.failure().reason())
        .isEqualTo("no virtual host in route configuration 80 matches authority details:9080");
  }

  @Test
  void wildcardSuffix_includesThePort_whenPortsAreMatched() {
    CompiledRouteTable table = hosts(false, "\"*.example.com\"", "\"*:8080\"");
    assertThat(vhostFor(table, "a.example.com:8080")).isEqualTo("vh1");
    assertThat(vhostFor(table, "a.example.com")).isEqualTo("vh0");
  }
}
