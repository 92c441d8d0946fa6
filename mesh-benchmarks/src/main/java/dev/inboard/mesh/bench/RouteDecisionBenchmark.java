package dev.inboard.mesh.bench;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.VirtualHostConfig;
import dev.inboard.mesh.routing.CompiledRouteTable;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RouteDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One route decision ({@link CompiledRouteTable#decide}) on an istiod-shaped virtual host of {@code routes} routes,
 * each to its own cluster with Istio's retry policy, {@code timeout: 0s} and {@code grpc_timeout_header_max: 0s},
 * behind a second virtual host ({@code allow_any}). With {@code match=prefix} every route is
 * {@code prefix: /svcN/}; with {@code match=regex} every route is {@code safe_regex: /svcN/[a-z]+/[0-9]+}. The
 * requests (1,024, prepared in advance) hit routes chosen uniformly with a fixed seed, so the average request walks
 * half the table when the table cannot be indexed.
 */
@State(Scope.Thread)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteDecisionBenchmark {
  static final long SEED = 20_261_121L;
  private static final int REQUESTS = 1024;

  @Param({"10", "100", "1000"})
  public int routes;

  @Param({"prefix", "regex"})
  public String match;

  /**
   * How many distinct routes the requests hit: 0 for all of them (uniformly), or a small number to separate the
   * cost of a larger table's cache footprint from the work per request.
   */
  @Param("0")
  public int hotRoutes;

  private CompiledRouteTable table;
  private RequestInfo[] requests;
  private SplittableRandom random;
  private int next;

  @Setup
  public void setUp() {
    table = CompiledRouteTable.compile(routeConfig(routes, match.equals("regex")));
    SplittableRandom seeded = new SplittableRandom(SEED);
    requests = new RequestInfo[REQUESTS];
    Headers headers = Headers.single(Map.of(
        "user-agent", "okhttp/4.12.0", "accept", "application/json", "x-request-id", "5e1b2e8c-6f3b"));
    for (int i = 0; i < REQUESTS; i++) {
      int target = seeded.nextInt(hotRoutes > 0 ? Math.min(hotRoutes, routes) : routes) * (routes / Math.max(1,
          hotRoutes > 0 ? Math.min(hotRoutes, routes) : routes));
      requests[i] = new RequestInfo("GET", "http", "svc.default.svc.cluster.local:8080",
          "/svc" + target + "/items/" + seeded.nextInt(1000), headers, "10.1.2.3", 41000);
    }
    random = new SplittableRandom(SEED);
    RouteDecision check = table.decide(requests[0], random);
    if (!(check instanceof RouteDecision.Forward)) {
      throw new IllegalStateException("benchmark request not forwarded: " + check);
    }
  }

  @Benchmark
  public void decide(Blackhole blackhole) {
    RequestInfo request = requests[next];
    next = (next + 1) & (REQUESTS - 1);
    blackhole.consume(table.decide(request, random));
  }

  static RouteConfig routeConfig(int routeCount, boolean regex) {
    RetryPolicy istioRetry = new RetryPolicy(
        Set.of("connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"), 2,
        Optional.empty(), Optional.empty(), RetryPolicy.DEFAULT_BASE_INTERVAL, Duration.ofMillis(250), List.of(),
        5, List.of("envoy.retry_host_predicates.previous_hosts"), Optional.empty(), List.of(), List.of());
    RouteAction.MaxStreamDuration msd = new RouteAction.MaxStreamDuration(
        Optional.of(Duration.ZERO), Optional.of(Duration.ZERO), Optional.empty());
    List<RouteRule> rules = new ArrayList<>();
    for (int i = 0; i < routeCount; i++) {
      RouteMatch.PathMatcher path = regex
          ? new RouteMatch.PathMatcher.Regex("/svc" + i + "/[a-z]+/[0-9]+")
          : new RouteMatch.PathMatcher.Prefix("/svc" + i + "/");
      RouteAction.Forward forward = new RouteAction.Forward(
          new RouteAction.ClusterSpecifier.Single("outbound|8080||svc" + i + ".default.svc.cluster.local"),
          Optional.of(Duration.ZERO), Optional.empty(), Optional.of(istioRetry), List.of(), List.of(),
          Optional.empty(), Optional.empty(), Optional.of(msd), Optional.empty());
      rules.add(new RouteRule("route-" + i, new RouteMatch(path, true, List.of(), List.of(), Optional.empty(), false),
          forward, Optional.of("svc.default.svc.cluster.local:8080/*"), HeaderMutation.NONE, HeaderMutation.NONE,
          Map.of(), Metadata.EMPTY));
    }
    VirtualHostConfig svc = vhost("svc.default.svc.cluster.local:8080",
        List.of("svc.default.svc.cluster.local", "svc.default.svc.cluster.local:8080", "svc", "svc:8080",
            "svc.default.svc", "svc.default.svc:8080", "svc.default", "svc.default:8080"), rules);
    RouteRule passthrough = new RouteRule("allow_any",
        new RouteMatch(new RouteMatch.PathMatcher.Prefix("/"), true, List.of(), List.of(), Optional.empty(), false),
        new RouteAction.Forward(new RouteAction.ClusterSpecifier.Single("PassthroughCluster"),
            Optional.of(Duration.ZERO), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
            Optional.empty(), Optional.of(msd), Optional.empty()),
        Optional.empty(), HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), Metadata.EMPTY);
    return new RouteConfig("8080", List.of(svc, vhost("allow_any", List.of("*"), List.of(passthrough))),
        HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), List.of(), false, false);
  }

  private static VirtualHostConfig vhost(String name, List<String> domains, List<RouteRule> routes) {
    return new VirtualHostConfig(name, domains, routes, Optional.empty(), Optional.empty(), HeaderMutation.NONE,
        HeaderMutation.NONE, Map.of(), true, false, List.of(), Metadata.EMPTY);
  }
}
