package dev.inboard.mesh.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.CircuitBreakers.Thresholds;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.config.UpstreamHttpOptions;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamRegistryTest {
  private static final String REVIEWS = "outbound|9080|v1|reviews.default.svc.cluster.local";
  private static final String RATINGS = "outbound|9080||ratings.default.svc.cluster.local";
  private static final Locality ZONE = new Locality("us-east1", "us-east1-a", "");

  private final FakeClock clock = new FakeClock();
  private final UpstreamRegistry registry = new UpstreamRegistry(clock, new Random(5));

  @AfterEach
  void close() {
    registry.close();
  }

  /** Istio's shape when a DestinationRule sets outlier detection: panic threshold off. */
  private static ClusterConfig cluster(String name, long maxRequests, Optional<OutlierDetection> od) {
    Thresholds t = new Thresholds(1024, 1024, maxRequests, 3, Optional.empty());
    return new ClusterConfig(name, name + ";", new ClusterConfig.DiscoveryType.Eds(name), Duration.ofSeconds(10),
        new LbPolicy.RoundRobin(), new CommonLbConfig(Fraction.NONE, false), new CircuitBreakers(t, t), od,
        Optional.empty(), List.of(), UpstreamHttpOptions.DEFAULT, Metadata.EMPTY);
  }

  private static EndpointsConfig endpoints(String name, String... ips) {
    List<LbEndpoint> eps = java.util.Arrays.stream(ips)
        .map(ip -> new LbEndpoint(new SocketAddress(ip, 9080), HealthStatus.HEALTHY, 1, Metadata.EMPTY, ""))
        .toList();
    return new EndpointsConfig(name, List.of(new LocalityEndpoints(ZONE, 0, 1, eps)), 140, List.of());
  }

  private static MeshSnapshot snapshot(long version, Map<String, ClusterConfig> clusters,
      Map<String, EndpointsConfig> endpoints) {
    return new MeshSnapshot(version, Map.of(), Map.of(), clusters, endpoints, Set.of(), true);
  }

  private static OutlierDetection consecutive5xx(long n) {
    return new OutlierDetection(n, Duration.ofSeconds(10), Duration.ofSeconds(30), 100, 100, 100, 5, 100, 1900, 5, 0,
        false, 5, 100, 100, 85, 0, 0, 5, 50, Duration.ofSeconds(300), Duration.ZERO, true, false);
  }

  @Test
  void apply_sameSnapshotAgain_keepsTheLoadBalancerAndItsCursor() {
    MeshSnapshot s = snapshot(1, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.empty())),
        Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1", "10.0.0.2")));
    registry.apply(s);
    UpstreamCluster c = registry.cluster(REVIEWS).orElseThrow();
    var lb = c.loadBalancer();
    Host first = (Host) c.pick(PickRequest.ANY);
    registry.apply(snapshot(2, s.clusters(), s.endpoints()));
    assertThat(c.loadBalancer()).isSameAs(lb);
    assertThat(((Host) c.pick(PickRequest.ANY)).address()).isNotEqualTo(first.address());
  }

  @Test
  void apply_newLimits_reconfigureInPlaceKeepingGauges() {
    registry.apply(snapshot(1, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.empty())),
        Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1"))));
    UpstreamCluster c = registry.cluster(REVIEWS).orElseThrow();
    Permit held = (Permit) c.circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    registry.apply(snapshot(2, Map.of(REVIEWS, cluster(REVIEWS, 1, Optional.empty())),
        Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1"))));
    assertThat(registry.cluster(REVIEWS)).containsSame(c);
    assertThat(c.circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT))
        .isInstanceOf(Admission.Rejected.class);
    held.release();
    assertThat(c.circuitBreaker().active(Resource.REQUESTS, RoutingPriority.DEFAULT)).isZero();
  }

  @Test
  void apply_endpointsChange_keepsHostStateForRemainingAddresses() {
    ClusterConfig cfg = cluster(REVIEWS, 100, Optional.empty());
    registry.apply(snapshot(1, Map.of(REVIEWS, cfg), Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1", "10.0.0.2"))));
    UpstreamCluster c = registry.cluster(REVIEWS).orElseThrow();
    Host kept = c.hosts().get(1);
    kept.requestStarted();
    registry.apply(snapshot(2, Map.of(REVIEWS, cfg), Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.2", "10.0.0.3"))));
    assertThat(c.hosts()).extracting(h -> h.address().host()).containsExactly("10.0.0.2", "10.0.0.3");
    assertThat(c.hosts().get(0)).isSameAs(kept);
    assertThat(kept.activeRequests()).isEqualTo(1);
  }

  @Test
  void apply_clusterGone_dropsItAndStopsItsTimers() {
    registry.apply(snapshot(1, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.of(consecutive5xx(5))),
        RATINGS, cluster(RATINGS, 100, Optional.empty())), Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1"))));
    assertThat(clock.pendingDelays()).hasSize(1);
    registry.apply(snapshot(2, Map.of(RATINGS, cluster(RATINGS, 100, Optional.empty())), Map.of()));
    assertThat(registry.clusterNames()).containsExactly(RATINGS);
    assertThat(clock.pendingDelays()).isEmpty();
    // A cluster without endpoints yet answers UH.
    PickResult r = registry.cluster(RATINGS).orElseThrow().pick(PickRequest.ANY);
    assertThat(((PickResult.NoHost) r).failure().reason())
        .isEqualTo("no healthy upstream for " + RATINGS + ": no endpoints");
  }

  @Test
  void outlierEjection_endToEnd_pickSkipsEjectedThenFailsThenRecovers() {
    registry.apply(snapshot(1, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.of(consecutive5xx(2)))),
        Map.of(REVIEWS, endpoints(REVIEWS, "10.0.0.1", "10.0.0.2"))));
    UpstreamCluster c = registry.cluster(REVIEWS).orElseThrow();
    Host a = c.hosts().get(0);
    Host b = c.hosts().get(1);
    c.reportHttpStatus(a, 503);
    c.reportHttpStatus(a, 500);
    for (int i = 0; i < 10; i++) {
      assertThat(c.pick(PickRequest.ANY)).isSameAs(b);
    }
    c.reportHttpStatus(b, 500);
    c.reportHttpStatus(b, 500);
    PickResult r = c.pick(PickRequest.ANY);
    assertThat(((PickResult.NoHost) r).failure().toString()).isEqualTo("UH 503: no healthy upstream for " + REVIEWS
        + ": 2 of 2 endpoints ejected by outlier detection");
    clock.forward(Duration.ofSeconds(30));
    assertThat(c.pick(PickRequest.ANY)).isInstanceOf(Host.class);
  }

  @Test
  void apply_outlierDetectionRemoved_returnsEjectedHosts() {
    EndpointsConfig eps = endpoints(REVIEWS, "10.0.0.1", "10.0.0.2");
    registry.apply(snapshot(1, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.of(consecutive5xx(1)))),
        Map.of(REVIEWS, eps)));
    UpstreamCluster c = registry.cluster(REVIEWS).orElseThrow();
    c.reportHttpStatus(c.hosts().get(0), 500);
    assertThat(c.hosts().get(0).ejected()).isTrue();
    registry.apply(snapshot(2, Map.of(REVIEWS, cluster(REVIEWS, 100, Optional.empty())), Map.of(REVIEWS, eps)));
    assertThat(c.hosts().get(0).ejected()).isFalse();
    assertThat(c.outlierDetector()).isEmpty();
  }
}
