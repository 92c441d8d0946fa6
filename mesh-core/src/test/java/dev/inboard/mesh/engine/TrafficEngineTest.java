package dev.inboard.mesh.engine;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static dev.inboard.mesh.testing.XdsFixtures.weightedRoute;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeClock;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import dev.inboard.mesh.xds.parse.ResourceParser;
import dev.inboard.mesh.xds.parse.RouteConfigurationParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrafficEngineTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);

  final TrafficEngine engine = new TrafficEngine(new FakeClock(), new SplittableRandom(7));

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void request_routedThroughTheOutboundListenersTable_splitByWeight_toAnEndpointOfTheChosenCluster() {
    engine.onSnapshot(snapshot(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "10.0.0.11:9080"), endpoints(V2, "10.0.0.12:9080", "10.0.0.13:9080"))));

    Map<String, Integer> clusters = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      TrafficEngine.Decision d = engine.decide(request(), 9080);
      assertThat(d).isInstanceOf(TrafficEngine.Decision.Send.class);
      TrafficEngine.Decision.Send send = (TrafficEngine.Decision.Send) d;
      clusters.merge(send.route().cluster(), 1, Integer::sum);
      String address = send.host().address().toString();
      assertThat(address).isIn(send.route().cluster().equals(V1) ? Set.of("10.0.0.11:9080")
          : Set.of("10.0.0.12:9080", "10.0.0.13:9080"));
    }
    // 80/20 over 10,000 draws: sigma = 40, so +/- 200 is a 5-sigma bound.
    assertThat(clusters.get(V1)).isBetween(7_800, 8_200);
    assertThat(clusters.get(V2)).isBetween(1_800, 2_200);
  }

  @Test
  void clusterMissingFromTheSnapshot_failsWithNC() {
    engine.onSnapshot(snapshot(List.of(edsCluster(V1)), List.of(endpoints(V1, "10.0.0.11:9080"))));

    List<ResponseFlag> flags = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (engine.decide(request(), 9080) instanceof TrafficEngine.Decision.Fail f) {
        flags.add(f.failure().flag());
        assertThat(f.failure().reason()).isEqualTo("cluster not found: " + V2);
      }
    }
    assertThat(flags).isNotEmpty().containsOnly(ResponseFlag.NC);
  }

  @Test
  void clusterWithoutEndpoints_failsWithUH_andUnknownPortWithNR() {
    engine.onSnapshot(snapshot(List.of(edsCluster(V1), edsCluster(V2)), List.of()));

    TrafficEngine.Decision d = engine.decide(request(), 9080);
    assertThat(d).isInstanceOf(TrafficEngine.Decision.Fail.class);
    assertThat(((TrafficEngine.Decision.Fail) d).failure().flag()).isEqualTo(ResponseFlag.UH);

    TrafficEngine.Decision other = engine.decide(request(), 7070);
    assertThat(((TrafficEngine.Decision.Fail) other).failure().flag()).isEqualTo(ResponseFlag.NR);
  }

  @Test
  void dryRun_countsClustersOverSamples() {
    engine.onSnapshot(snapshot(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "10.0.0.11:9080"), endpoints(V2, "10.0.0.12:9080"))));

    RouteDryRun.Result result = RouteDryRun.run(engine, request(), 9080, 1_000);

    assertThat(result.virtualHost()).contains(HOST);
    assertThat(result.clusters().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
    assertThat(result.clusters().get(V1)).isBetween(740L, 860L);
    assertThat(result.failure()).isEmpty();
  }

  @Test
  void faultWithMaxActiveFaults_isInjectedOnlyWhileUnderTheLimit_andFreedWhenRequestsFinish() {
    var fault = io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.newBuilder()
        .setAbort(io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort.newBuilder()
            .setHttpStatus(503).setPercentage(io.envoyproxy.envoy.type.v3.FractionalPercent.newBuilder()
                .setNumerator(100).setDenominator(io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType.HUNDRED)))
        .setMaxActiveFaults(com.google.protobuf.UInt32Value.of(1))
        .build();
    var routes = weightedRoute("9080", HOST, V1, 100, V2, 0).toBuilder();
    routes.getVirtualHostsBuilder(0).getRoutesBuilder(0)
        .putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault));
    MeshSnapshot base = snapshot(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "10.0.0.11:9080"), endpoints(V2, "10.0.0.12:9080")));
    engine.onSnapshot(new MeshSnapshot(2, base.listeners(),
        parseAll(new RouteConfigurationParser(), List.of(routes.build())), base.clusters(), base.endpoints(),
        Set.of(), true));

    var first = (TrafficEngine.Decision.Send) engine.decide(request(), 9080);
    var second = (TrafficEngine.Decision.Send) engine.decide(request(), 9080);

    assertThat(first.route().fault()).isPresent();
    assertThat(first.countedFault()).isTrue();
    assertThat(second.route().fault()).isEmpty();
    assertThat(engine.activeFaults()).isEqualTo(1);
    engine.finished(first);
    engine.finished(second);
    assertThat(engine.activeFaults()).isZero();
    assertThat(((TrafficEngine.Decision.Send) engine.decide(request(), 9080)).route().fault()).isPresent();
  }

  private static RequestInfo request() {
    // The fixture lists the bare host and does not ignore ports (istiod does), so the authority carries no port.
    return RequestInfo.of("GET", "http", HOST, "/reviews/0", Headers.EMPTY);
  }

  private static MeshSnapshot snapshot(List<? extends Message> clusters, List<? extends Message> endpoints) {
    Map<String, ListenerConfig> listeners = parseAll(new ListenerParser(), List.of(sidecarListener(9080, "9080")));
    Map<String, RouteConfig> routes = parseAll(new RouteConfigurationParser(),
        List.of(weightedRoute("9080", HOST, V1, 80, V2, 20)));
    Map<String, ClusterConfig> cds = parseAll(new ClusterParser(), clusters);
    Map<String, EndpointsConfig> eds = parseAll(new ClusterLoadAssignmentParser(), endpoints);
    return new MeshSnapshot(1, listeners, routes, cds, eds, Set.of(), true);
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
}
