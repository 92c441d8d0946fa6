package dev.inboard.mesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bench.IstioScaleFixture.PodEndpoint;
import dev.inboard.mesh.bench.IstioScaleFixture.Service;
import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.VirtualHostConfig;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves, without timing anything, that the benchmark fixture is accepted whole by the xDS client and that the
 * harness delivers it: what the benchmarks measure is the apply of exactly these resources.
 */
class IstioScaleFixtureSmokeTest {
  private static final int SERVICES = 20;
  private static final int ENDPOINTS_PER_SERVICE = 10;

  private final IstioScaleFixture fixture = IstioScaleFixture.generate(SERVICES, ENDPOINTS_PER_SERVICE, 42);
  private XdsApplyHarness harness;
  private XdsApplyHarness.Session session;

  @BeforeEach
  void open() throws Exception {
    harness = new XdsApplyHarness();
    session = harness.open();
  }

  @AfterEach
  void close() {
    session.close();
    harness.close();
  }

  @Test
  void fullConfig_twentyServices_snapshotHoldsExactlyTheFixturesClustersAndEndpoints() {
    MeshSnapshot snapshot = session.apply(DeltaResponses.fullConfig(fixture));

    assertThat(snapshot.complete()).isTrue();
    assertThat(snapshot.clusters().keySet()).containsExactlyInAnyOrderElementsOf(
        fixture.services().stream().map(Service::clusterName).toList());
    assertThat(snapshot.endpoints().keySet()).isEqualTo(snapshot.clusters().keySet());
    for (Service s : fixture.services()) {
      EndpointsConfig endpoints = snapshot.endpointsOf(snapshot.cluster(s.clusterName()).orElseThrow()).orElseThrow();
      assertThat(addresses(endpoints)).as(s.clusterName())
          .isEqualTo(s.endpoints().stream().map(PodEndpoint::ip).collect(Collectors.toSet()));
    }
    assertThat(snapshot.endpoints().values().stream().mapToInt(EndpointsConfig::endpointCount).sum())
        .isEqualTo(SERVICES * ENDPOINTS_PER_SERVICE)
        .isEqualTo(fixture.endpointCount());
    assertThat(snapshot.listeners().keySet())
        .containsExactlyInAnyOrder("0.0.0.0_80", "0.0.0.0_8080", "0.0.0.0_9080", "0.0.0.0_7070");
    assertThat(snapshot.routes().keySet()).containsExactlyInAnyOrder("80", "8080", "9080", "7070");
    assertThat(session.stream().nackCount()).isZero();
    assertThat(session.stream().ackCount()).isEqualTo(4);
    assertThat(session.stream().subscribed(DeltaResponses.EDS)).isEqualTo(snapshot.clusters().keySet());
  }

  @Test
  void fullConfig_clustersAndRoutes_carryIstiodSettings() {
    MeshSnapshot snapshot = session.apply(DeltaResponses.fullConfig(fixture));
    Service first = fixture.services().get(0);

    ClusterConfig cluster = snapshot.cluster(first.clusterName()).orElseThrow();
    long unlimited = CircuitBreakers.Thresholds.UNSIGNED_INT_MAX;
    assertThat(cluster.circuitBreakers().defaultPriority())
        .isEqualTo(new CircuitBreakers.Thresholds(unlimited, unlimited, unlimited, unlimited,
            java.util.Optional.empty()));
    assertThat(cluster.transportSocketMatches()).extracting(ClusterConfig.TransportSocketMatch::name)
        .containsExactly("tlsMode-istio", "tlsMode-disabled");
    assertThat(cluster.secretRefs()).containsExactly(
        new SecretRef.WorkloadCertificate("default"), new SecretRef.RootCertificate("ROOTCA"));
    assertThat(cluster.metadata().value("istio", "default_original_port")).contains(80.0);

    List<VirtualHostConfig> hosts = snapshot.route("80").orElseThrow().virtualHosts();
    List<String> onPort80 = fixture.services().stream().filter(s -> s.port().number() == 80)
        .map(s -> s.host() + ":80").toList();
    assertThat(hosts).extracting(VirtualHostConfig::name).containsExactlyElementsOf(
        concat(onPort80, "allow_any"));
    assertThat(snapshot.route("80").orElseThrow().clusterNames()).contains(first.clusterName());

    EndpointsConfig endpoints = snapshot.endpointsOf(cluster).orElseThrow();
    var endpoint = endpoints.localities().get(0).endpoints().get(0);
    assertThat(endpoint.metadata().string("istio", "workload").orElseThrow())
        .matches("svc-0-v[1-3];ns-0;svc-0;v[1-3];Kubernetes");
  }

  @Test
  void endpointUpdate_firstPodReplacedThenRestored_eachIsAppliedAsAChange() {
    session.apply(DeltaResponses.fullConfig(fixture));
    Service s = fixture.services().get(7);
    long before = session.client().snapshot().version();

    session.send(DeltaResponses.endpointUpdate(fixture.withFirstPodReplaced(7), "2", "eds-2"));
    MeshSnapshot replaced = session.requireHealthy();
    session.send(DeltaResponses.endpointUpdate(fixture.loadAssignments().get(7), "3", "eds-3"));
    MeshSnapshot restored = session.requireHealthy();

    String oldIp = s.endpoints().get(0).ip();
    assertThat(replaced.version()).isEqualTo(before + 1);
    assertThat(addresses(replaced.endpoints().get(s.clusterName())))
        .doesNotContain(oldIp).contains("240.250.0.7").hasSize(ENDPOINTS_PER_SERVICE);
    assertThat(restored.version()).isEqualTo(before + 2);
    assertThat(restored.endpoints().get(s.clusterName()))
        .isEqualTo(session.client().snapshot().endpoints().get(s.clusterName()));
    assertThat(addresses(restored.endpoints().get(s.clusterName()))).contains(oldIp).doesNotContain("240.250.0.7");
    assertThat(session.stream().lastAckedNonce(DeltaResponses.EDS)).contains("eds-3");
  }

  @Test
  void generate_sameSeed_sameResources_otherSeed_otherVersionsAndZones() {
    IstioScaleFixture again = IstioScaleFixture.generate(SERVICES, ENDPOINTS_PER_SERVICE, 42);
    IstioScaleFixture other = IstioScaleFixture.generate(SERVICES, ENDPOINTS_PER_SERVICE, 43);

    assertThat(again.clusters()).isEqualTo(fixture.clusters());
    assertThat(again.loadAssignments()).isEqualTo(fixture.loadAssignments());
    assertThat(again.routeConfigurations()).isEqualTo(fixture.routeConfigurations());
    assertThat(other.loadAssignments()).isNotEqualTo(fixture.loadAssignments());
    assertThat(other.clusters().stream().map(c -> c.getName()).toList())
        .isEqualTo(fixture.clusters().stream().map(c -> c.getName()).toList());
  }

  @Test
  void generate_istioBenchmarkAddressing_vipsAndPodsIn240Range() {
    Map<String, Service> byName = fixture.services().stream()
        .collect(Collectors.toMap(Service::name, s -> s));

    assertThat(byName.get("svc-3").vip()).isEqualTo("240.240.0.3");
    assertThat(byName.get("svc-3").endpoints().get(0).ip()).isEqualTo("240.241.0.30");
    assertThat(IstioScaleFixture.address(241, 9_999)).isEqualTo("240.241.39.54");
    assertThat(byName.get("svc-3").clusterName()).isEqualTo("outbound|7070||svc-3.ns-3.svc.cluster.local");
  }

  private static Set<String> addresses(EndpointsConfig endpoints) {
    return endpoints.localities().stream()
        .flatMap(l -> l.endpoints().stream())
        .map(e -> e.address().host())
        .collect(Collectors.toSet());
  }

  private static List<String> concat(List<String> list, String last) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(last)).toList();
  }
}
