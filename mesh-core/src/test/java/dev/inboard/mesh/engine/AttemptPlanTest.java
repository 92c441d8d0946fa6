package dev.inboard.mesh.engine;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.AttemptPlan.Budget;
import dev.inboard.mesh.engine.AttemptPlan.Next;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeClock;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import dev.inboard.mesh.xds.parse.ResourceParser;
import dev.inboard.mesh.xds.parse.RouteConfigurationParser;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptPlanTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final Outcome UNAVAILABLE = new Outcome.Response(503, Headers.EMPTY);
  static final Outcome OK = new Outcome.Response(200, Headers.EMPTY);
  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  final FakeClock clock = new FakeClock();
  final TrafficEngine engine = new TrafficEngine(clock, new SplittableRandom(7));
  final SplittableRandom jitter = new SplittableRandom(11);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void withoutTimeoutsOrRetries_oneUnlimitedAttempt_onTheEnginesHost() {
    TrafficEngine.Decision.Send send = send(a -> a.setTimeout(seconds(0)));
    AttemptPlan plan = start(send);

    assertThat(plan.host()).isSameAs(send.host());
    assertThat(plan.attempt()).isEqualTo(1);
    assertThat(plan.deadline()).isEmpty();
    assertThat(plan.budget()).isEqualTo(new Budget.Unlimited());
    assertThat(plan.next(UNAVAILABLE, true)).isEqualTo(new Next.Finish());
    assertThat(plan.retried()).isFalse();
  }

  @Test
  void routeTimeout_isADeadlineFromTheStart_eachAttemptGetsWhatIsLeft_thenExpiresWithUT() {
    AttemptPlan plan = start(send(a -> a.setTimeout(seconds(1))));

    assertThat(plan.budget()).isEqualTo(new Budget.Limited(1_000 * MS, false));
    clock.forward(Duration.ofMillis(300));
    assertThat(plan.budget()).isEqualTo(new Budget.Limited(700 * MS, false));
    assertThat(plan.expired()).isFalse();
    clock.forward(Duration.ofMillis(700));

    assertThat(plan.expired()).isTrue();
    Budget expired = plan.budget();
    assertThat(expired).isInstanceOf(Budget.Expired.class);
    var failure = ((Budget.Expired) expired).failure();
    assertThat(failure.flag()).isEqualTo(ResponseFlag.UT);
    assertThat(failure.httpStatus()).isEqualTo(504);
    assertThat(failure.reason()).isEqualTo("upstream request timeout: route to " + V1 + " allows PT1S");
  }

  @Test
  void unsetRouteTimeout_isEnvoys15Seconds() {
    AttemptPlan plan = start(send(a -> { }));

    assertThat(plan.budget()).isEqualTo(new Budget.Limited(15_000 * MS, false));
  }

  @Test
  void perTryTimeout_isTheBudgetWhileSmallerThanWhatIsLeft() {
    AttemptPlan plan = start(send(a -> a.setTimeout(seconds(1))
        .setRetryPolicy(retry("5xx", 2).setPerTryTimeout(millis(400)))));

    assertThat(plan.budget()).isEqualTo(new Budget.Limited(400 * MS, true));
    clock.forward(Duration.ofMillis(700));
    assertThat(plan.budget()).isEqualTo(new Budget.Limited(300 * MS, false));
  }

  @Test
  void perTryTimeout_withoutRouteTimeout_limitsEveryAttempt() {
    AttemptPlan plan = start(send(a -> a.setTimeout(seconds(0))
        .setRetryPolicy(retry("5xx", 2).setPerTryTimeout(millis(400)))));

    assertThat(plan.deadline()).isEmpty();
    clock.forward(Duration.ofHours(1));
    assertThat(plan.budget()).isEqualTo(new Budget.Limited(400 * MS, true));
  }

  @Test
  void outerLimit_earlierThanTheRouteTimeout_isTheDeadline() {
    TrafficEngine.Decision.Send send = send(a -> a.setTimeout(seconds(10)));
    AttemptPlan plan = AttemptPlan.start(send, clock::nanoTime, jitter, clock.nanoTime() + 200 * MS);

    assertThat(plan.deadline()).hasValue(clock.nanoTime() + 200 * MS);
    assertThat(plan.budget()).isEqualTo(new Budget.Limited(200 * MS, false));
    clock.forward(Duration.ofMillis(200));
    assertThat(((Budget.Expired) plan.budget()).failure().reason())
        .contains("the request's deadline passed before the route's timeout (PT10S)");

    AttemptPlan later = AttemptPlan.start(send, clock::nanoTime, jitter, clock.nanoTime() + 60_000 * MS);
    assertThat(later.budget()).isEqualTo(new Budget.Limited(10_000 * MS, false));
  }

  @Test
  void retriableOutcome_retriesAfterABackOffBelowTheBaseInterval_onTheHostPickedThen() {
    AttemptPlan plan = start(send(a -> a.setRetryPolicy(retry("5xx", 2).setRetryBackOff(backOff(100, 1_000)))));

    Next next = plan.next(UNAVAILABLE, true);

    assertThat(next).isInstanceOf(Next.Retry.class);
    assertThat(((Next.Retry) next).backoffNanos()).isBetween(0L, 99 * MS);
    assertThat(plan.attempt()).isEqualTo(1);
    PickResult host = plan.retryHost();
    assertThat(host).isInstanceOf(Host.class);
    assertThat(plan.host()).isSameAs(host);
    assertThat(plan.attempt()).isEqualTo(2);
    assertThat(plan.retried()).isTrue();
    plan.close();
  }

  @Test
  void attemptCount_whenTheVirtualHostAsks_isEachAttemptsNumber() {
    AttemptPlan asked = start(send(vh -> vh.setIncludeRequestAttemptCount(true).setIncludeAttemptCountInResponse(true),
        a -> a.setRetryPolicy(retry("5xx", 2)), edsCluster(V1), "10.0.0.11:9080", "10.0.0.12:9080"));
    assertThat(asked.upstreamAttemptCount()).isEqualTo("1");
    assertThat(asked.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    asked.retryHost();
    assertThat(asked.upstreamAttemptCount()).isEqualTo("2");
    assertThat(asked.next(OK, true)).isInstanceOf(Next.Finish.class);
    assertThat(asked.downstreamAttemptCount()).isEqualTo("2");
    asked.close();

    AttemptPlan silent = start(send(a -> a.setRetryPolicy(retry("5xx", 2))));
    assertThat(silent.upstreamAttemptCount()).isNull();
    assertThat(silent.downstreamAttemptCount()).isNull();
    silent.close();
  }

  @Test
  void retryHost_onlyAfterARetry_andNextOnlyAfterTheRetryHost() {
    AttemptPlan plan = start(send(a -> a.setRetryPolicy(retry("5xx", 2))));

    assertThatThrownBy(plan::retryHost).isInstanceOf(IllegalStateException.class);
    assertThat(plan.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    assertThatThrownBy(() -> plan.next(UNAVAILABLE, true)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retryHost()");
    plan.close();
  }

  @Test
  void outcomesOutsideRetryOn_finish() {
    AttemptPlan plan = start(send(a -> a.setRetryPolicy(retry("connect-failure", 2))));

    assertThat(plan.next(UNAVAILABLE, true)).isEqualTo(new Next.Finish());
    assertThat(plan.next(OK, true)).isEqualTo(new Next.Finish());
    assertThat(plan.next(new Outcome.ConnectFailure(), true)).isInstanceOf(Next.Retry.class);
    plan.close();
  }

  @Test
  void retries_stopWhenNumRetriesAreUsed() {
    AttemptPlan plan = start(send(a -> a.setRetryPolicy(retry("5xx", 2))));

    assertThat(plan.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    plan.retryHost();
    assertThat(plan.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    plan.retryHost();
    assertThat(plan.next(UNAVAILABLE, true)).isEqualTo(new Next.Finish());
    assertThat(plan.attempt()).isEqualTo(3);
    plan.close();
  }

  @Test
  void nonReplayableRequest_isNotRetried_andTakesNoRetryUnit() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 2)));
    AttemptPlan plan = start(send);

    assertThat(plan.next(UNAVAILABLE, false)).isEqualTo(new Next.Finish());
    assertThat(retriesActive(send)).isZero();
  }

  @Test
  void retryUnit_isHeldThroughTheRetry_andGivenBackWhenItEndsOrThePlanCloses() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 3)), maxRetries(1),
        "10.0.0.11:9080");
    AttemptPlan first = start(send);
    AttemptPlan second = start(send);

    assertThat(first.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    assertThat(retriesActive(send)).isEqualTo(1);
    // The breaker is full: the other request's result stands.
    assertThat(second.next(UNAVAILABLE, true)).isEqualTo(new Next.Finish());
    assertThat(second.attempt()).isEqualTo(1);

    // The retry ended well: its unit is back.
    assertThat(first.retryHost()).isInstanceOf(Host.class);
    assertThat(retriesActive(send)).isEqualTo(1);
    assertThat(first.next(OK, true)).isEqualTo(new Next.Finish());
    assertThat(retriesActive(send)).isZero();

    AttemptPlan third = start(send);
    assertThat(third.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    third.close();
    assertThat(retriesActive(send)).isZero();
    third.close(); // idempotent
    assertThat(retriesActive(send)).isZero();
  }

  @Test
  void previousHosts_eachRetryAvoidsTheHostsTriedSoFar() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 2)
            .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                .setName(AttemptPlan.PREVIOUS_HOSTS).setTypedConfig(Any.pack(PreviousHostsPredicate.newBuilder()
                    .build())))
            .setHostSelectionRetryMaxAttempts(50)),
        edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.RANDOM).build(),
        "10.0.0.11:9080", "10.0.0.12:9080", "10.0.0.13:9080");
    // Random picks: without the predicate, 50 requests would land a retry on a tried host (2/3 of the time each).
    for (int i = 0; i < 50; i++) {
      AttemptPlan plan = start(send);
      Set<SocketAddress> tried = new HashSet<>();
      tried.add(plan.host().address());
      Host second = retryHost(plan);
      assertThat(tried).doesNotContain(second.address());
      tried.add(second.address());
      Host third = retryHost(plan);
      assertThat(tried).doesNotContain(third.address());
      plan.close();
    }
  }

  @Test
  void withoutPreviousHosts_aRetryMayLandOnTheSameHost() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 1)), edsCluster(V1),
        "10.0.0.11:9080");
    AttemptPlan plan = start(send);

    assertThat(retryHost(plan).address()).isEqualTo(send.host().address());
    plan.close();
  }

  @Test
  void backOff_doublesPerRetry_upToTheMaxInterval() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 5).setRetryBackOff(backOff(100, 250))));
    long[] longest = new long[5];
    for (int i = 0; i < 300; i++) {
      AttemptPlan plan = start(send);
      for (int r = 0; r < 5; r++) {
        long backoff = ((Next.Retry) plan.next(UNAVAILABLE, true)).backoffNanos();
        longest[r] = Math.max(longest[r], backoff);
        plan.retryHost();
      }
      plan.close();
    }
    // Full jitter in [0, min(250, 100 * 2^n)) ms: 300 draws reach the upper half of each interval.
    assertThat(longest[0]).isBetween(50 * MS, 99 * MS);
    assertThat(longest[1]).isBetween(100 * MS, 199 * MS);
    for (int r = 2; r < 5; r++) {
      assertThat(longest[r]).isBetween(200 * MS, 249 * MS);
    }
  }

  @Test
  void afterTheDeadline_aTimedOutAttemptIsTheRequestsTimeout_otherOutcomesFinish() {
    TrafficEngine.Decision.Send send = send(a -> a.setTimeout(seconds(1))
        .setRetryPolicy(retry("5xx,connect-failure", 3).setPerTryTimeout(millis(400))));
    AttemptPlan plan = start(send);
    clock.forward(Duration.ofSeconds(1));

    Next perTry = plan.next(new Outcome.PerTryTimeout(), true);
    assertThat(perTry).isInstanceOf(Next.TimedOut.class);
    assertThat(((Next.TimedOut) perTry).failure().flag()).isEqualTo(ResponseFlag.UT);
    assertThat(plan.afterTimeout(new Outcome.ConnectFailure(), true)).isInstanceOf(Next.TimedOut.class);
    assertThat(plan.next(new Outcome.ConnectFailure(), true)).isEqualTo(new Next.Finish());
    assertThat(plan.next(UNAVAILABLE, true)).isEqualTo(new Next.Finish());
    assertThat(retriesActive(send)).isZero();
  }

  @Test
  void beforeTheDeadline_timedOutAttemptsAreRetriedAsTheirOutcome() {
    AttemptPlan plan = start(send(a -> a.setTimeout(seconds(1))
        .setRetryPolicy(retry("connect-failure", 3).setPerTryTimeout(millis(400)))));
    clock.forward(Duration.ofMillis(400));

    assertThat(plan.afterTimeout(new Outcome.ConnectFailure(), true)).isInstanceOf(Next.Retry.class);
    plan.retryHost();
    // A per-try timeout counts as a 504, which "connect-failure" does not cover.
    assertThat(plan.next(new Outcome.PerTryTimeout(), true)).isEqualTo(new Next.Finish());
  }

  @Test
  void noHostLeftWhenTheRetryStarts_failsWithUH_andGivesTheRetryUnitBack() {
    TrafficEngine.Decision.Send send = send(a -> a.setRetryPolicy(retry("5xx", 2)));
    AttemptPlan plan = start(send);
    assertThat(plan.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    assertThat(retriesActive(send)).isEqualTo(1);
    // The endpoints go away during the back-off.
    engine.onSnapshot(snapshot(routeTo("9080", HOST, V1), edsCluster(V1), List.of()));

    PickResult host = plan.retryHost();

    assertThat(host).isInstanceOf(PickResult.NoHost.class);
    assertThat(((PickResult.NoHost) host).failure().flag()).isEqualTo(ResponseFlag.UH);
    assertThat(plan.attempt()).isEqualTo(1);
    assertThat(retriesActive(send)).isZero();
  }

  /** The next attempt's host after a retriable 503. */
  private static Host retryHost(AttemptPlan plan) {
    assertThat(plan.next(UNAVAILABLE, true)).isInstanceOf(Next.Retry.class);
    return (Host) plan.retryHost();
  }

  private AttemptPlan start(TrafficEngine.Decision.Send send) {
    return AttemptPlan.start(send, clock::nanoTime, jitter);
  }

  private static long retriesActive(TrafficEngine.Decision.Send send) {
    return send.cluster().circuitBreaker().active(Resource.RETRIES, RoutingPriority.DEFAULT);
  }

  private TrafficEngine.Decision.Send send(Consumer<RouteAction.Builder> action) {
    return send(action, edsCluster(V1), "10.0.0.11:9080", "10.0.0.12:9080");
  }

  private TrafficEngine.Decision.Send send(Consumer<RouteAction.Builder> action, Cluster cluster,
      String... hostPorts) {
    return send(vh -> { }, action, cluster, hostPorts);
  }

  private TrafficEngine.Decision.Send send(Consumer<VirtualHost.Builder> virtualHost,
      Consumer<RouteAction.Builder> action, Cluster cluster, String... hostPorts) {
    RouteConfiguration.Builder routes = routeTo("9080", HOST, V1).toBuilder();
    virtualHost.accept(routes.getVirtualHostsBuilder(0));
    action.accept(routes.getVirtualHostsBuilder(0).getRoutesBuilder(0).getRouteBuilder());
    engine.onSnapshot(snapshot(routes.build(), cluster, List.of(hostPorts)));
    TrafficEngine.Decision d = engine.decide(RequestInfo.of("GET", "http", HOST, "/reviews/0", Headers.EMPTY), 9080);
    assertThat(d).isInstanceOf(TrafficEngine.Decision.Send.class);
    return (TrafficEngine.Decision.Send) d;
  }

  private static MeshSnapshot snapshot(RouteConfiguration routes, Cluster cluster, List<String> hostPorts) {
    return new MeshSnapshot(1,
        parseAll(new ListenerParser(), List.of(sidecarListener(9080, "9080"))),
        parseAll(new RouteConfigurationParser(), List.of(routes)),
        parseAll(new ClusterParser(), List.of(cluster)),
        parseAll(new ClusterLoadAssignmentParser(), List.of(endpoints(V1, hostPorts.toArray(String[]::new)))),
        Set.of(), true);
  }

  private static <T> Map<String, T> parseAll(ResourceParser<?, T> parser, List<? extends Message> protos) {
    Map<String, T> out = new HashMap<>();
    for (Message m : protos) {
      ParseResult<T> r = parser.parse(Any.pack(m));
      assertThat(r).isInstanceOf(ParseResult.Valid.class);
      out.put(((ParseResult.Valid<T>) r).name(), ((ParseResult.Valid<T>) r).resource());
    }
    return out;
  }

  private static Cluster maxRetries(int max) {
    return edsCluster(V1).toBuilder().setCircuitBreakers(CircuitBreakers.newBuilder()
        .addThresholds(CircuitBreakers.Thresholds.newBuilder().setMaxRetries(UInt32Value.of(max)))).build();
  }

  private static RetryPolicy.Builder retry(String retryOn, int numRetries) {
    return RetryPolicy.newBuilder().setRetryOn(retryOn).setNumRetries(UInt32Value.of(numRetries));
  }

  private static RetryPolicy.RetryBackOff backOff(long baseMillis, long maxMillis) {
    return RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(millis(baseMillis))
        .setMaxInterval(millis(maxMillis)).build();
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  private static com.google.protobuf.Duration millis(long ms) {
    return com.google.protobuf.Duration.newBuilder().setNanos((int) (ms % 1000) * 1_000_000)
        .setSeconds(ms / 1000).build();
  }
}
