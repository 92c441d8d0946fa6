package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.named;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.unpack;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validCluster;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.UpstreamHttpOptions;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Protocols, connection pools, load balancers, outlier detection and mTLS policy on generated clusters. */
class ClusterPolicyTest {
  static final String ECHO = """
      apiVersion: v1
      kind: Service
      metadata: {name: echo, namespace: apps}
      spec:
        selector: {app: echo}
        ports:
        - {name: http, port: 80, targetPort: 8080}
        - {name: grpc, port: 7070, targetPort: grpc-port}
        - {port: 9000}
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: echo-a, namespace: apps}
      spec:
        address: 10.3.0.1
        labels: {app: echo, version: a}
        ports: {grpc-port: 17070}
        serviceAccount: echo
        locality: us-east1/us-east1-a
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: echo-b, namespace: apps}
      spec:
        address: 10.3.0.2
        labels: {app: echo, version: b}
        serviceAccount: echo
        locality: us-east1/us-east1-b
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: echo-c, namespace: apps}
      spec:
        address: 10.3.0.3
        labels: {app: echo, version: c}
        locality: eu-west1/eu-west1-a
      """;

  static final ProxyView CLIENT = Proxies.sidecar("apps", Map.of("app", "client"), "10.3.0.100");
  static final String HTTP = "outbound|80||echo.apps.svc.cluster.local";
  static final String GRPC = "outbound|7070||echo.apps.svc.cluster.local";
  static final String UNNAMED = "outbound|9000||echo.apps.svc.cluster.local";

  static HttpProtocolOptions http(Cluster c) {
    return unpack(c.getTypedExtensionProtocolOptionsOrThrow(ClusterDraft.HTTP_PROTOCOL_OPTIONS),
        HttpProtocolOptions.class);
  }

  @Test
  void protocols_grpcIsHttp2WithH2Alpn_unnamedUsesTheDownstreamProtocol_httpHasNoOptions() {
    List<Cluster> clusters = ClusterGenerator.generate(CLIENT, Proxies.push(ECHO));

    Cluster grpc = named(clusters, GRPC);
    assertThat(http(grpc).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    UpstreamTlsContext mtls = unpack(grpc.getTransportSocketMatches(0).getTransportSocket().getTypedConfig(),
        UpstreamTlsContext.class);
    assertThat(mtls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio",
        "h2");
    assertThat(validCluster(grpc).http().protocol()).isEqualTo(UpstreamHttpOptions.UpstreamProtocol.HTTP2);
    Cluster unnamed = named(clusters, UNNAMED);
    assertThat(http(unnamed).hasUseDownstreamProtocolConfig()).isTrue();
    assertThat(validCluster(unnamed).http().protocol()).isEqualTo(UpstreamHttpOptions.UpstreamProtocol.USE_DOWNSTREAM);
    assertThat(named(clusters, HTTP).getTypedExtensionProtocolOptionsMap()).isEmpty();
  }

  @Test
  void endpoints_namedTargetPortFromTheWorkload_elseTheServicePort_numericTargetPort() {
    PushContext push = Proxies.push(ECHO);

    ClusterLoadAssignment grpc = EndpointGenerator.forCluster(CLIENT, push, GRPC);
    assertThat(grpc.getEndpointsList()).flatExtracting(LocalityLbEndpointsPorts::of)
        .containsExactly("10.3.0.3:7070", "10.3.0.1:17070", "10.3.0.2:7070");
    ClusterLoadAssignment http = EndpointGenerator.forCluster(CLIENT, push, HTTP);
    assertThat(http.getEndpointsList()).flatExtracting(LocalityLbEndpointsPorts::of)
        .containsExactly("10.3.0.3:8080", "10.3.0.1:8080", "10.3.0.2:8080");
    assertThat(http.getEndpointsList()).extracting(e -> e.getLocality().getRegion() + "/" + e.getLocality().getZone())
        .containsExactly("eu-west1/eu-west1-a", "us-east1/us-east1-a", "us-east1/us-east1-b");
    // echo-c names no service account and carries no tlsMode label: no mTLS metadata.
    assertThat(http.getEndpoints(0).getLbEndpoints(0).getMetadata().containsFilterMetadata(
        "envoy.transport_socket_match")).isFalse();
    assertThat(http.getEndpoints(1).getLbEndpoints(0).getMetadata().containsFilterMetadata(
        "envoy.transport_socket_match")).isTrue();
    assertThat(http.getEndpoints(1).getLbEndpoints(0).getMetadata().getFilterMetadataOrThrow("istio")
        .getFieldsOrThrow("workload").getStringValue()).isEqualTo("echo-a;apps;echo;a;Kubernetes");
    EndpointsConfig parsed = validEndpoints(http);
    assertThat(parsed.localities()).allMatch(l -> l.priority() == 0);
  }

  @Test
  void connectionPool_idleTimeoutUpgradeAndClientProtocol() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: apps}
        spec:
          host: echo
          trafficPolicy:
            connectionPool:
              tcp: {maxConnectionDuration: 30m, tcpKeepalive: {time: 7200s, interval: 75s, probes: 9}}
              http: {idleTimeout: 90s, h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 50}
            retryBudget: {percent: 0.3}
            portLevelSettings:
            - port: {number: 9000}
              connectionPool: {http: {useClientProtocol: true, maxRetries: 7}}
        """);
    List<Cluster> clusters = ClusterGenerator.generate(CLIENT, push);

    Cluster upgraded = named(clusters, HTTP);
    HttpProtocolOptions options = http(upgraded);
    assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(90);
    assertThat(options.getCommonHttpProtocolOptions().getMaxConnectionDuration().getSeconds()).isEqualTo(1800);
    assertThat(options.getExplicitHttpConfig().getHttp2ProtocolOptions().getMaxConcurrentStreams().getValue())
        .isEqualTo(50);
    assertThat(http(named(clusters, GRPC)).getExplicitHttpConfig().getHttp2ProtocolOptions()
        .getMaxConcurrentStreams().getValue()).isEqualTo(50);
    assertThat(upgraded.getUpstreamConnectionOptions().getTcpKeepalive().getKeepaliveTime().getValue())
        .isEqualTo(7200);
    assertThat(upgraded.getUpstreamConnectionOptions().getTcpKeepalive().getKeepaliveProbes().getValue())
        .isEqualTo(9);
    var budget = upgraded.getCircuitBreakers().getThresholds(0).getRetryBudget();
    assertThat(budget.getBudgetPercent().getValue()).isEqualTo(0.3);
    assertThat(budget.getMinRetryConcurrency().getValue()).isEqualTo(3);
    ClusterConfig parsed = validCluster(upgraded);
    assertThat(parsed.http().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(parsed.http().http2MaxConcurrentStreams()).isEqualTo(50);
    assertThat(parsed.circuitBreakers().defaultPriority().retryBudget()).isPresent();
    assertThat(parsed.http().protocol()).isEqualTo(UpstreamHttpOptions.UpstreamProtocol.HTTP2);

    Cluster clientProtocol = named(clusters, UNNAMED);
    assertThat(http(clientProtocol).hasUseDownstreamProtocolConfig()).isTrue();
    assertThat(clientProtocol.getCircuitBreakers().getThresholds(0).getMaxRetries().getValue()).isEqualTo(7);
    assertThat(clientProtocol.hasUpstreamConnectionOptions()).isFalse();
    validCluster(clientProtocol);
  }

  @Test
  void loadBalancer_maglevLeastRequestWarmupAndOutlierDetection() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: apps}
        spec:
          host: echo
          trafficPolicy:
            loadBalancer: {simple: LEAST_CONN, warmupDurationSecs: 60s}
            outlierDetection:
              consecutive5xxErrors: 5
              consecutiveGatewayErrors: 0
              interval: 10s
              baseEjectionTime: 30s
              minHealthPercent: 25
          subsets:
          - name: sticky
            labels: {version: a}
            trafficPolicy:
              loadBalancer: {consistentHash: {httpHeaderName: x-user, maglev: {tableSize: 65537}}}
        """);
    List<Cluster> clusters = ClusterGenerator.generate(CLIENT, push);

    Cluster main = named(clusters, HTTP);
    assertThat(main.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(main.getLeastRequestLbConfig().getSlowStartConfig().getSlowStartWindow().getSeconds()).isEqualTo(60);
    assertThat(main.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(5);
    assertThat(main.getOutlierDetection().getEnforcingConsecutive5Xx().getValue()).isEqualTo(100);
    assertThat(main.getOutlierDetection().getConsecutiveGatewayFailure().getValue()).isZero();
    assertThat(main.getOutlierDetection().getEnforcingConsecutiveGatewayFailure().getValue()).isZero();
    assertThat(main.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isEqualTo(25);
    ClusterConfig parsed = validCluster(main);
    assertThat(parsed.outlierDetection().orElseThrow().consecutive5xx()).isEqualTo(5);
    assertThat(parsed.outlierDetection().orElseThrow().enforcingSuccessRate()).isZero();

    Cluster sticky = named(clusters, "outbound|80|sticky|echo.apps.svc.cluster.local");
    assertThat(sticky.getLbPolicy()).isEqualTo(Cluster.LbPolicy.MAGLEV);
    assertThat(sticky.getMaglevLbConfig().getTableSize().getValue()).isEqualTo(65537);
    assertThat(sticky.hasOutlierDetection()).isTrue();
    assertThat(validCluster(sticky).lbPolicy()).isEqualTo(new LbPolicy.Maglev(65537));
  }

  @Test
  void outlierDetection_localityFailoverPrioritiesRelativeToTheProxy() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: apps}
        spec:
          host: echo
          trafficPolicy:
            outlierDetection: {consecutive5xxErrors: 3}
        """);
    Map<String, Object> metadata = new LinkedHashMap<>(CLIENT.node().metadata());
    ProxyView inZoneA = ProxyView.of(new NodeInfo(CLIENT.id(), "", metadata,
        new NodeInfo.Locality("us-east1", "us-east1-a", ""), "inboard", "test"));

    ClusterLoadAssignment cla = EndpointGenerator.forCluster(inZoneA, push, HTTP);
    assertThat(cla.getEndpointsList()).extracting(e -> e.getLocality().getZone() + "=" + e.getPriority())
        .containsExactly("eu-west1-a=2", "us-east1-a=0", "us-east1-b=1");
    EndpointsConfig parsed = validEndpoints(cla);
    assertThat(parsed.localities()).extracting(EndpointsConfig.LocalityEndpoints::priority).containsExactly(2, 0, 1);
    // Without outlier detection there is nothing to fail over with: all localities stay at priority 0.
    assertThat(EndpointGenerator.forCluster(inZoneA, Proxies.push(ECHO), HTTP).getEndpointsList())
        .allMatch(e -> e.getPriority() == 0);
  }

  @Test
  void peerAuthenticationDisable_noAutoMtls_andNoMtlsMetadata() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: apps}
        spec: {mtls: {mode: DISABLE}}
        """);

    Cluster http = named(ClusterGenerator.generate(CLIENT, push), HTTP);
    assertThat(http.getTransportSocketMatchesList()).isEmpty();
    assertThat(http.hasTransportSocket()).isFalse();
    ClusterLoadAssignment cla = EndpointGenerator.forCluster(CLIENT, push, HTTP);
    assertThat(cla.getEndpointsList()).flatExtracting(e -> e.getLbEndpointsList())
        .noneMatch(e -> e.getMetadata().containsFilterMetadata("envoy.transport_socket_match"));
  }

  @Test
  void meshWideStrict_stillAutoMtls_workloadPortDisabled_dropsThatEndpointsMtlsLabel() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: istio-system}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: echo-a, namespace: apps}
        spec:
          selector: {matchLabels: {version: a}}
          portLevelMtls: {"8080": {mode: DISABLE}}
        """);

    assertThat(named(ClusterGenerator.generate(CLIENT, push), HTTP).getTransportSocketMatchesCount()).isEqualTo(2);
    ClusterLoadAssignment cla = EndpointGenerator.forCluster(CLIENT, push, HTTP);
    assertThat(cla.getEndpointsList()).flatExtracting(e -> e.getLbEndpointsList())
        .extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress() + "="
            + e.getMetadata().containsFilterMetadata("envoy.transport_socket_match"))
        .containsExactly("10.3.0.3=false", "10.3.0.1=false", "10.3.0.2=true");
  }

  @Test
  void headlessService_originalDst_tlsOnlyWhenEveryWorkloadTakesMtls() {
    String headless = """
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: apps}
        spec: {clusterIP: None, selector: {app: db}, ports: [{name: tcp, port: 5432}]}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: db-0, namespace: apps}
        spec: {address: 10.3.1.1, labels: {app: db}, serviceAccount: db}
        """;
    String name = "outbound|5432||db.apps.svc.cluster.local";

    Cluster allMtls = named(ClusterGenerator.generate(CLIENT, Proxies.push(headless)), name);
    assertThat(allMtls.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(allMtls.getTransportSocketMatchesList()).isEmpty();
    assertThat(allMtls.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    validCluster(allMtls);
    Cluster mixed = named(ClusterGenerator.generate(CLIENT, Proxies.push(headless, """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: db-1, namespace: apps}
        spec: {address: 10.3.1.2, labels: {app: db}}
        """)), name);
    assertThat(mixed.hasTransportSocket()).isFalse();
  }

  @Test
  void inbound_sidecarIngress_staticEndpointAndConnectionPool() {
    PushContext push = Proxies.push(ECHO, """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: echo, namespace: apps}
        spec:
          workloadSelector: {labels: {app: echo}}
          ingress:
          - port: {number: 8080, protocol: HTTP, name: http}
            defaultEndpoint: 127.0.0.1:18080
            connectionPool: {tcp: {maxConnections: 12}}
          - port: {number: 9090, protocol: TCP, name: tcp}
          egress: [{hosts: ["./*"]}]
        """);
    ProxyView echo = Proxies.sidecar("apps", Map.of("app", "echo", "version", "a"), "10.3.0.1");

    List<Cluster> inbound = ClusterGenerator.generate(echo, push).stream()
        .filter(c -> c.getName().startsWith("inbound|")).toList();
    assertThat(inbound).extracting(Cluster::getName).containsExactly("inbound|8080||", "inbound|9090||");
    Cluster http = inbound.get(0);
    assertThat(http.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(http.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress().getPortValue()).isEqualTo(18080);
    assertThat(http.hasUpstreamBindConfig()).isFalse();
    assertThat(http.getCircuitBreakers().getThresholds(0).getMaxConnections().getValue()).isEqualTo(12);
    assertThat(http.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("services").getListValue()
        .getValues(0).getStructValue().getFieldsOrThrow("host").getStringValue())
        .isEqualTo("echo.apps.svc.cluster.local");
    Cluster tcp = inbound.get(1);
    assertThat(tcp.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(tcp.getUpstreamBindConfig().getSourceAddress().getAddress()).isEqualTo("127.0.0.6");
    inbound.forEach(XdsAssertions::validCluster);
  }

  @Test
  void inbound_withoutSidecar_oneClusterPerTargetPort() {
    ProxyView echo = Proxies.sidecar("apps", Map.of("app", "echo", "version", "a"), "10.3.0.1");

    List<Cluster> inbound = ClusterGenerator.generate(echo, Proxies.push(ECHO)).stream()
        .filter(c -> c.getName().startsWith("inbound|")).toList();
    assertThat(inbound).extracting(Cluster::getName)
        .containsExactly("inbound|8080||", "inbound|9000||", "inbound|17070||");
    assertThat(unpack(inbound.get(2).getTypedExtensionProtocolOptionsOrThrow(ClusterDraft.HTTP_PROTOCOL_OPTIONS),
        HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    inbound.forEach(XdsAssertions::validCluster);
  }

  @Test
  void connectedWorkloads_areEndpointsToo() {
    WorkloadInstance connected = new WorkloadInstance("echo-d", "apps", "10.3.0.4", Map.of("app", "echo"), "echo",
        Map.of(), "", "", true, 2, WorkloadInstance.Origin.AUTO_REGISTERED);
    PushContext push = Proxies.push(Proxies.config(List.of(), ECHO), List.of(connected));

    ClusterLoadAssignment cla = EndpointGenerator.forCluster(CLIENT, push, HTTP);
    var endpoint = cla.getEndpoints(0).getLbEndpoints(0);
    assertThat(endpoint.getEndpoint().getAddress().getSocketAddress().getAddress()).isEqualTo("10.3.0.4");
    assertThat(endpoint.getLoadBalancingWeight().getValue()).isEqualTo(2);
    assertThat(endpoint.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("workload")
        .getStringValue()).isEqualTo("echo-d;apps;echo;;Kubernetes");
  }

  /** host:port of each endpoint of a locality. */
  static final class LocalityLbEndpointsPorts {
    static List<String> of(io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints l) {
      return l.getLbEndpointsList().stream().map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress()
          + ":" + e.getEndpoint().getAddress().getSocketAddress().getPortValue()).toList();
    }
  }
}
