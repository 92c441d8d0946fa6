package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsTCPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationRulesTest {
  static final String REVIEWS = """
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: backend}
      spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}, {name: grpc, port: 7070}]}
      """;

  static final ProxyView FRONTEND = Proxies.sidecar("frontend", Map.of("app", "web"), "10.0.0.1");
  static final ProxyView OTHER = Proxies.sidecar("other", Map.of("app", "batch"), "10.0.0.2");
  static final String HOST = "reviews.backend.svc.cluster.local";

  static String rule(String name, String namespace, String host, String exportTo, String subset) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s, namespace: %s}
        spec:
          host: "%s"
          exportTo: %s
          subsets: [{name: %s, labels: {version: %s}}]
        """.formatted(name, namespace, host, exportTo, subset, subset);
  }

  static List<String> subsets(Optional<ConfigResource<DestinationRule>> dr) {
    return dr.orElseThrow().spec().getSubsets().stream().map(Subset::getName).toList();
  }

  @Test
  void lookup_proxyNamespaceThenServiceNamespaceThenRoot() {
    PushContext push = Proxies.push(REVIEWS,
        rule("root", "istio-system", HOST, "[\"*\"]", "root"),
        rule("service", "backend", "reviews", "[\"*\"]", "service"),
        rule("local", "frontend", HOST, "[\".\"]", "local"));

    assertThat(subsets(DestinationRules.forHost(FRONTEND, push, HOST))).containsExactly("local");
    assertThat(subsets(DestinationRules.forHost(OTHER, push, HOST))).containsExactly("service");
    assertThat(DestinationRules.forHost(OTHER, push, HOST).orElseThrow().name()).isEqualTo("service");
  }

  @Test
  void lookup_serviceNamespaceRuleNotExportedToTheProxy_fallsBackToRoot() {
    PushContext push = Proxies.push(REVIEWS,
        rule("root", "istio-system", "*.svc.cluster.local", "[]", "root"),
        rule("service", "backend", "reviews", "[\".\"]", "service"),
        rule("partner", "backend", "*.backend.svc.cluster.local", "[\"frontend\"]", "partner"));

    assertThat(subsets(DestinationRules.forHost(OTHER, push, HOST))).containsExactly("root");
    // The exact host wins over the wildcard, but it is private: the frontend gets the wildcard exported to it.
    assertThat(subsets(DestinationRules.forHost(FRONTEND, push, HOST))).containsExactly("partner");
    ProxyView inBackend = Proxies.sidecar("backend", Map.of("app", "x"), "10.0.0.3");
    assertThat(subsets(DestinationRules.forHost(inBackend, push, HOST))).containsExactly("service");
  }

  @Test
  void lookup_mostSpecificWildcardWins() {
    PushContext push = Proxies.push(REVIEWS,
        rule("broad", "frontend", "*.svc.cluster.local", "[]", "broad"),
        rule("narrow", "frontend", "*.backend.svc.cluster.local", "[]", "narrow"),
        rule("other-host", "frontend", "ratings.backend.svc.cluster.local", "[]", "ratings"));

    assertThat(subsets(DestinationRules.forHost(FRONTEND, push, HOST))).containsExactly("narrow");
  }

  @Test
  void sameHost_rulesMergeSubsets_firstTopLevelPolicyKept() {
    PushContext push = Proxies.push(REVIEWS, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: a, namespace: backend}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: b, namespace: backend}
        spec:
          host: reviews.backend.svc.cluster.local
          trafficPolicy: {loadBalancer: {simple: RANDOM}}
          subsets: [{name: v1, labels: {version: other}}, {name: v2, labels: {version: v2}}]
        """);

    var dr = DestinationRules.forHost(FRONTEND, push, HOST).orElseThrow();
    assertThat(dr.name()).isEqualTo("a");
    assertThat(dr.spec().getSubsets()).extracting(Subset::getName, Subset::getLabels).containsExactly(
        org.assertj.core.groups.Tuple.tuple("v1", Map.of("version", "v1")),
        org.assertj.core.groups.Tuple.tuple("v2", Map.of("version", "v2")));
    assertThat(((LoadBalancerSettingsSimple) dr.spec().getTrafficPolicy().getLoadBalancer().getLbPolicy())
        .getSimple()).isEqualTo(LoadBalancerSettingsSimpleLB.RANDOM);
  }

  @Test
  void workloadSelector_appliesToSelectedProxiesOfItsNamespace_andInheritsTheCatchAllsSubsets() {
    PushContext push = Proxies.push(REVIEWS, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: for-web, namespace: frontend}
        spec:
          host: reviews.backend.svc.cluster.local
          workloadSelector: {matchLabels: {app: web}}
          trafficPolicy: {loadBalancer: {simple: RANDOM}}
          subsets: [{name: canary, labels: {version: v9}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: everyone, namespace: frontend}
        spec:
          host: reviews.backend.svc.cluster.local
          subsets: [{name: v1, labels: {version: v1}}]
        """);

    var forWeb = DestinationRules.forHost(FRONTEND, push, HOST).orElseThrow();
    assertThat(forWeb.name()).isEqualTo("for-web");
    assertThat(forWeb.spec().getSubsets()).extracting(Subset::getName).containsExactly("canary", "v1");
    ProxyView api = Proxies.sidecar("frontend", Map.of("app", "api"), "10.0.0.4");
    var forApi = DestinationRules.forHost(api, push, HOST).orElseThrow();
    assertThat(forApi.name()).isEqualTo("everyone");
    assertThat(forApi.spec().getSubsets()).extracting(Subset::getName).containsExactly("v1");
  }

  @Test
  void mergedPolicy_portLevelReplacesTopLevel_subsetOverridesParts() {
    PushContext push = Proxies.push(REVIEWS, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: backend}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer: {simple: RANDOM}
            connectionPool: {tcp: {maxConnections: 10}}
            tls: {mode: ISTIO_MUTUAL}
            portLevelSettings:
            - port: {number: 7070}
              loadBalancer: {simple: LEAST_REQUEST}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy:
              loadBalancer: {simple: ROUND_ROBIN}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              connectionPool: {tcp: {maxConnections: 99}}
              portLevelSettings:
              - port: {number: 9080}
                outlierDetection: {interval: 5s}
        """);
    DestinationRule dr = DestinationRules.forHost(FRONTEND, push, HOST).orElseThrow().spec();
    TrafficPolicy v1 = dr.getSubsets().get(0).getTrafficPolicy();
    TrafficPolicy v2 = dr.getSubsets().get(1).getTrafficPolicy();

    TrafficPolicy http = DestinationRules.mergedPolicy(dr.getTrafficPolicy(), Optional.empty(), 9080);
    assertThat(simple(http)).isEqualTo(LoadBalancerSettingsSimpleLB.RANDOM);
    assertThat(http.getConnectionPool().getTcp().getMaxConnections()).isEqualTo(10);
    assertThat(http.getPortLevelSettings()).isEmpty();

    TrafficPolicy grpc = DestinationRules.mergedPolicy(dr.getTrafficPolicy(), Optional.empty(), 7070);
    assertThat(simple(grpc)).isEqualTo(LoadBalancerSettingsSimpleLB.LEAST_REQUEST);
    assertThat(grpc.getConnectionPool()).isNull();
    assertThat(grpc.getTls()).isNull();

    TrafficPolicy v1Http = DestinationRules.mergedPolicy(dr.getTrafficPolicy(), Optional.of(v1), 9080);
    assertThat(simple(v1Http)).isEqualTo(LoadBalancerSettingsSimpleLB.ROUND_ROBIN);
    assertThat(v1Http.getConnectionPool().getTcp().getMaxConnections()).isEqualTo(10);
    assertThat(v1Http.getTls()).isNotNull();

    TrafficPolicy v2Grpc = DestinationRules.mergedPolicy(dr.getTrafficPolicy(), Optional.of(v2), 7070);
    assertThat(simple(v2Grpc)).isEqualTo(LoadBalancerSettingsSimpleLB.LEAST_REQUEST);
    assertThat(v2Grpc.getConnectionPool().getTcp().getMaxConnections()).isEqualTo(99);

    TrafficPolicy v2Http = DestinationRules.mergedPolicy(dr.getTrafficPolicy(), Optional.of(v2), 9080);
    assertThat(v2Http.getOutlierDetection().getInterval()).isEqualTo("5s");
    assertThat(v2Http.getLoadBalancer()).isNull();
    assertThat(v2Http.getConnectionPool()).isNull();
    assertThat(v2Http.getTls()).isNull();
    // Inputs are left alone.
    assertThat(dr.getTrafficPolicy().getPortLevelSettings()).hasSize(1);
  }

  @Test
  void mergedPolicy_emptyTop_isTheSubsetsPolicy() {
    TrafficPolicy subset = new TrafficPolicy();
    subset.setConnectionPool(new ConnectionPoolSettings());
    subset.getConnectionPool().setTcp(new ConnectionPoolSettingsTCPSettings());
    subset.getConnectionPool().getTcp().setMaxConnections(3);
    subset.setLoadBalancer(new LoadBalancerSettings());

    TrafficPolicy merged = DestinationRules.mergedPolicy(new TrafficPolicy(), Optional.of(subset), 80);

    assertThat(merged.getConnectionPool().getTcp().getMaxConnections()).isEqualTo(3);
    assertThat(merged.getLoadBalancer()).isSameAs(subset.getLoadBalancer());
    assertThat(merged.getTls()).isNull();
  }

  @Test
  void hashPolicy_destinationRuleAll_cookieForTheV2Subset_noneForRoundRobin() {
    PushContext push = Proxies.push(Proxies.config(List.of(Proxies.TESTDATA.resolve("destination-rule-all.yaml"))),
        List.of());
    ProxyView client = Proxies.sidecar("testns", Map.of("app", "client"), "10.0.0.9");
    String host = "destall.default.svc.cluster.local";

    assertThat(DestinationRules.hashPolicy(client, push, host, 81, "v2")).contains(RouteAction.HashPolicy.newBuilder()
        .setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("Cookie")
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(30)))
        .build());
    assertThat(DestinationRules.hashPolicy(client, push, host, 81, "v1")).isEmpty();
    assertThat(DestinationRules.hashPolicy(client, push, host, 81, "")).isEmpty();
  }

  @Test
  void hashPolicy_subsetPortLevel_thenSubset_thenPortLevel_thenTop() {
    PushContext push = Proxies.push(REVIEWS, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: backend}
        spec:
          host: reviews
          trafficPolicy:
            loadBalancer: {consistentHash: {httpHeaderName: x-user}}
            portLevelSettings:
            - port: {number: 7070}
              loadBalancer: {consistentHash: {useSourceIp: true}}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy:
              loadBalancer: {consistentHash: {httpQueryParameterName: session}}
              portLevelSettings:
              - port: {number: 7070}
                loadBalancer: {consistentHash: {httpCookie: {name: sticky, path: /}}}
          - {name: v2, labels: {version: v2}}
        """);

    assertThat(DestinationRules.hashPolicy(FRONTEND, push, HOST, 9080, "")).contains(RouteAction.HashPolicy
        .newBuilder().setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName("x-user")).build());
    assertThat(DestinationRules.hashPolicy(FRONTEND, push, HOST, 7070, "v2")).contains(RouteAction.HashPolicy
        .newBuilder().setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder()
            .setSourceIp(true)).build());
    assertThat(DestinationRules.hashPolicy(FRONTEND, push, HOST, 9080, "v1")).contains(RouteAction.HashPolicy
        .newBuilder().setQueryParameter(RouteAction.HashPolicy.QueryParameter.newBuilder().setName("session"))
        .build());
    assertThat(DestinationRules.hashPolicy(FRONTEND, push, HOST, 7070, "v1")).contains(RouteAction.HashPolicy
        .newBuilder().setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName("sticky").setPath("/"))
        .build());
  }

  @Test
  void forHost_aServiceTheProxyDoesNotSee_hasNoRule() {
    PushContext push = Proxies.push("""
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: backend
          annotations: {networking.istio.io/exportTo: "."}
        spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
        """, rule("service", "backend", "reviews", "[\"*\"]", "service"));

    assertThat(DestinationRules.forHost(FRONTEND, push, HOST)).isEmpty();
    assertThat(DestinationRules.hashPolicy(FRONTEND, push, HOST, 9080, "service")).isEmpty();
    ProxyView inBackend = Proxies.sidecar("backend", Map.of("app", "x"), "10.0.0.3");
    assertThat(subsets(DestinationRules.forHost(inBackend, push, HOST))).containsExactly("service");
  }

  @Test
  void instanceLookups_shareOneIndex() {
    PushContext push = Proxies.push(REVIEWS, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: backend}
        spec:
          host: reviews
          trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}
        """);
    DestinationRules rules = DestinationRules.of(push);
    var service = push.registry().service(HOST).orElseThrow();

    assertThat(rules.outbound(FRONTEND, service).orElseThrow().name()).isEqualTo("reviews");
    assertThat(rules.inbound(FRONTEND, service).orElseThrow().name()).isEqualTo("reviews");
    assertThat(rules.hashPolicy(FRONTEND, service, 9080, "")).contains(RouteAction.HashPolicy.newBuilder()
        .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName("x-user")).build());
  }

  static LoadBalancerSettingsSimpleLB simple(TrafficPolicy p) {
    return ((LoadBalancerSettingsSimple) p.getLoadBalancer().getLbPolicy()).getSimple();
  }
}
