package dev.inboard.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteMatch.PathMatcher;
import dev.inboard.mesh.config.RouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteIndexTest {
  private static final String[] SEGMENTS = {"", "a", "ab", "abc", "b", "api", "API", "x?y", "a#b"};

  private static RouteRule rule(String name, PathMatcher path, boolean caseSensitive) {
    return new RouteRule(name, new RouteMatch(path, caseSensitive, List.of(), List.of(), Optional.empty(), false),
        new RouteAction.DirectResponse(200, Optional.empty()), Optional.empty(), HeaderMutation.NONE,
        HeaderMutation.NONE, Map.of(), Metadata.EMPTY);
  }

  private static String randomPath(SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    int segments = random.nextInt(4);
    for (int i = 0; i < segments; i++) {
      sb.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (random.nextInt(4) == 0) {
      sb.append('/');
    }
    if (random.nextInt(3) == 0) {
      sb.append("?q=").append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    return random.nextInt(20) == 0 ? sb.toString().replaceFirst("^/", "") : sb.toString();
  }

  private static PathMatcher randomMatcher(SplittableRandom random) {
    String literal = randomPath(random);
    return switch (random.nextInt(5)) {
      case 0 -> new PathMatcher.Prefix(literal);
      case 1 -> new PathMatcher.Exact(literal);
      case 2 -> new PathMatcher.PathSeparatedPrefix(literal.isEmpty() ? "/" : literal);
      case 3 -> new PathMatcher.Regex(random.nextBoolean() ? "/a.*" : quote(literal) + (random.nextBoolean() ? "[a-z/]*" : "b?"));
      default -> new PathMatcher.Prefix(literal.length() > 2 ? literal.substring(0, literal.length() - 1) : literal);
    };
  }

  private static String quote(String literal) {
    StringBuilder sb = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if (".[]()*+?{}^$|\\".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  @Test
  void regexLiteral_isTheTextEveryMatchStartsWith() {
    assertThat(RegexLiteral.prefix("/svc12/[a-z]+/[0-9]+")).isEqualTo("/svc12/");
    assertThat(RegexLiteral.prefix("^/a\\.b/c")).isEqualTo("/a.b/c");
    assertThat(RegexLiteral.prefix("/ab?c")).isEqualTo("/a");
    assertThat(RegexLiteral.prefix("/ab*")).isEqualTo("/a");
    assertThat(RegexLiteral.prefix("/ab{2}")).isEqualTo("/a");
    assertThat(RegexLiteral.prefix("/ab+c")).isEqualTo("/ab");
    assertThat(RegexLiteral.prefix("/a\\d+")).isEqualTo("/a");
    assertThat(RegexLiteral.prefix("/a|/b")).isEmpty();
    assertThat(RegexLiteral.prefix("(?i)/a")).isEmpty();
    assertThat(RegexLiteral.prefix("/a(b|c)")).isEmpty();
    assertThat(RegexLiteral.prefix("/a(bc)")).isEqualTo("/a");
  }

  @Test
  void index_neverChangesTheFirstMatch_comparedWithAScanOfAllRoutes() {
    SplittableRandom random = new SplittableRandom(99);
    for (int round = 0; round < 50; round++) {
      List<CompiledRoute> routes = new ArrayList<>();
      int count = 1 + random.nextInt(60);
      for (int i = 0; i < count; i++) {
        RouteRule rule = rule("r" + i, randomMatcher(random), random.nextInt(6) != 0);
        routes.add(new CompiledRoute(i, rule, RouteResolver.fixed(new RouteDecision.DirectResponse(200,
            Optional.empty(), List.of()))));
      }
      RouteIndex index = new RouteIndex(routes);
      for (int r = 0; r < 400; r++) {
        String path = randomPath(random);
        RequestInfo request = RouteTables.get(path);
        int pathEnd = request.pathEnd();
        assertThat(firstMatch(index.candidates(path, pathEnd), request, pathEnd))
            .as("path %s in round %d", path, round)
            .isEqualTo(firstMatch(routes.toArray(CompiledRoute[]::new), request, pathEnd));
      }
    }
  }

  @Test
  void index_groupsWholeSegmentsAndKeepsPartialPrefixesEverywhere() {
    List<CompiledRoute> routes = new ArrayList<>();
    routes.add(compiled(0, new PathMatcher.Prefix("/reviews/")));
    routes.add(compiled(1, new PathMatcher.Prefix("/rat")));
    routes.add(compiled(2, new PathMatcher.Exact("/ratings")));
    routes.add(compiled(3, new PathMatcher.Prefix("/")));
    RouteIndex index = new RouteIndex(routes);
    assertThat(orders(index.candidates("/reviews/1", 10))).containsExactly(0, 3);
    assertThat(orders(index.candidates("/ratings", 8))).containsExactly(1, 2, 3);
    assertThat(orders(index.candidates("/details", 8))).containsExactly(1, 3);
  }

  private static CompiledRoute compiled(int order, PathMatcher path) {
    return new CompiledRoute(order, rule("r" + order, path, true),
        RouteResolver.fixed(new RouteDecision.DirectResponse(200, Optional.empty(), List.of())));
  }

  private static List<Integer> orders(CompiledRoute[] routes) {
    List<Integer> orders = new ArrayList<>();
    for (CompiledRoute route : routes) {
      orders.add(route.order);
    }
    return orders;
  }

  private static int firstMatch(CompiledRoute[] routes, RequestInfo request, int pathEnd) {
    for (CompiledRoute route : routes) {
      if (route.matches(request, pathEnd, 0)) {
        return route.order;
      }
    }
    return -1;
  }
}
