package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.registry.RegistryBuilder;
import dev.inboard.mesh.agent.registry.ServiceRegistry;
import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.NetworkFilter;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generators as meshctl serves them: registry, security policy and listeners composed for one workload. */
class ComposedGeneratorsTest {
  static final String CONFIG = """
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: default}
      spec:
        selector: {app: reviews}
        ports: [{name: http, port: 9080}]
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: default}
      spec: {mtls: {mode: STRICT}}
      ---
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata: {name: jwt, namespace: default}
      spec:
        selector: {matchLabels: {app: reviews}}
        jwtRules: [{issuer: "testing@secure.istio.io", jwks: '{"keys": []}'}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: deny-delete, namespace: default}
      spec:
        selector: {matchLabels: {app: reviews}}
        action: DENY
        rules: [{to: [{operation: {methods: [DELETE]}}]}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: allow-productpage, namespace: default}
      spec:
        selector: {matchLabels: {app: reviews}}
        rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/bookinfo-productpage]}}]}]
      """;

  @Test
  void sidecar_strictMtls_inboundChainRunsCustomJwtThenDenyThenAllowBeforeTheRouter() {
    PushContext push = push();
    ProxyView reviews = ProxyView.of(NodeIdentity.builder().namespace("default").podName("reviews-v1-0")
        .app("reviews").version("v1").serviceAccount("bookinfo-reviews").instanceIps("10.0.0.11")
        .port("http", 9080).build());

    GeneratedXds xds = new SidecarXdsGenerator().generate(reviews, push);

    ListenerConfig inbound = parse(xds.listeners().stream()
        .filter(l -> l.getName().equals(InboundListenerGenerator.NAME)).findFirst().orElseThrow());
    assertThat(inbound.filterChains()).extracting(c -> c.name())
        .containsExactly("inbound|9080||", "virtualInbound-blackhole");
    var chain = inbound.filterChains().get(0);
    assertThat(chain.match().destinationPort()).contains(9080);
    assertThat(chain.tls()).isPresent();
    var hcm = ((NetworkFilter.HttpConnectionManager) chain.filters().get(0)).config();
    assertThat(hcm.httpFilters()).extracting(f -> f.name()).containsExactly(
        "envoy.filters.http.jwt_authn", "envoy.filters.http.rbac", "envoy.filters.http.rbac",
        "envoy.filters.http.router");
  }

  @Test
  void grpc_strictMtls_serverListenersByAddressWithDenyThenAllow() {
    PushContext push = push();
    ProxyView reviews = ProxyView.of(NodeIdentity.builder().namespace("default").podName("reviews-v1-0")
        .app("reviews").version("v1").serviceAccount("bookinfo-reviews").instanceIps("10.0.0.11")
        .port("http", 9080).shape(ConfigShape.GRPC).build());

    GeneratedXds xds = new GrpcXdsGenerator().generate(reviews, push);

    Listener server = xds.listeners().stream()
        .filter(l -> l.getName().equals("xds.istio.io/grpc/lds/inbound/0.0.0.0:9080")).findFirst().orElseThrow();
    ListenerConfig parsed = parse(server);
    assertThat(parsed.filterChains().get(0).name()).isEqualTo("inbound-mtls");
    var hcm = ((NetworkFilter.HttpConnectionManager) parsed.filterChains().get(0).filters().get(0)).config();
    assertThat(hcm.httpFilters()).extracting(f -> f.name()).containsExactly(
        "envoy.filters.http.rbac.DENY", "envoy.filters.http.rbac", "envoy.filters.http.router");
    assertThat(xds.listeners()).extracting(Listener::getName)
        .contains("reviews.default.svc.cluster.local:9080", "reviews:9080",
            "xds.istio.io/grpc/lds/inbound/[::]:9080");
    assertThat(xds.routes()).extracting(r -> r.getName())
        .containsExactly("outbound|9080||reviews.default.svc.cluster.local");
    assertThat(xds.clusters()).extracting(c -> c.getName())
        .containsExactly("outbound|9080||reviews.default.svc.cluster.local");
  }

  private static PushContext push() {
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.loadString(CONFIG, "policies.yaml");
    assertThat(loaded.problems()).isEmpty();
    ConfigSet config = loaded.toConfigSet();
    ServiceRegistry registry = RegistryBuilder.build(config, List.of(), MeshSettings.DEFAULT);
    return new PushContext(config, registry, MeshSettings.DEFAULT);
  }

  private static ListenerConfig parse(Listener listener) {
    ParseResult<ListenerConfig> result = new ListenerParser().parse(Any.pack(listener));
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ListenerConfig>) result).resource();
  }
}
