package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.assertAccepted;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.bookinfoServices;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.parse;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.productpage;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.HttpFilterConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.NetworkFilter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundListenerGeneratorTest {
  static final MeshService MONGODB = service("mongodb", "default", List.of("10.96.0.20"),
      new ServicePort("mongo", 27017, Protocol.MONGO, 27017, ""));

  final List<String> notes = new ArrayList<>();
  final OutboundListenerGenerator generator =
      new OutboundListenerGenerator(OutboundTrafficPolicy.ALLOW_ANY, notes::add);

  static List<MeshService> withMongo() {
    List<MeshService> services = new ArrayList<>(bookinfoServices());
    services.add(MONGODB);
    return services;
  }

  static HttpConnectionManager hcm(FilterChain chain) throws Exception {
    return chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  @Test
  void bookinfo_sharedHttpListenerPerPort_tcpListenerPerVip_thenVirtualOutbound() {
    List<Listener> listeners = generator.generate(withMongo(), productpage(), MeshSettings.DEFAULT);

    listeners.forEach(XdsgenFixtures::assertAccepted);
    assertThat(listeners).extracting(Listener::getName)
        .containsExactly("0.0.0.0_9080", "10.96.0.20_27017", "virtualOutbound");
    assertThat(OutboundListenerGenerator.httpPorts(withMongo())).containsExactly(9080);
    assertThat(notes).isEmpty();
  }

  @Test
  void httpListener_istiodShape() throws Exception {
    Listener http = generator.generate(bookinfoServices(), productpage(), MeshSettings.DEFAULT).get(0);

    assertThat(http.toBuilder().clearFilterChains().build()).isEqualTo(parse("""
        {
          "name": "0.0.0.0_9080",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 9080}},
          "trafficDirection": "OUTBOUND",
          "bindToPort": false,
          "continueOnListenerFiltersTimeout": true,
          "listenerFiltersTimeout": "0s",
          "listenerFilters": [
            {"name": "envoy.filters.listener.tls_inspector", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
              "initialReadBufferSize": 512}},
            {"name": "envoy.filters.listener.http_inspector", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector"}}
          ],
          "defaultFilterChain": {
            "name": "PassthroughFilterChain",
            "filterChainMatch": {},
            "filters": [{"name": "envoy.filters.network.tcp_proxy", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
              "statPrefix": "PassthroughCluster", "cluster": "PassthroughCluster"}}]
          }
        }""", Listener.newBuilder()));
    FilterChain chain = http.getFilterChains(0);
    assertThat(chain.getFilterChainMatch().getTransportProtocol()).isEqualTo("raw_buffer");
    assertThat(chain.getFilterChainMatch().getApplicationProtocolsList()).containsExactly("http/1.1", "h2c");
    assertThat(chain.getFilters(0).getName()).isEqualTo("envoy.filters.network.http_connection_manager");
    HttpConnectionManager hcm = hcm(chain);
    assertThat(hcm.toBuilder().clearHttpFilters().build()).isEqualTo(parse("""
        {
          "statPrefix": "outbound_0.0.0.0_9080;",
          "rds": {
            "configSource": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
            "routeConfigName": "9080"
          },
          "useRemoteAddress": false,
          "normalizePath": true,
          "pathWithEscapedSlashesAction": "KEEP_UNCHANGED",
          "upgradeConfigs": [{"upgradeType": "websocket"}],
          "streamIdleTimeout": "0s",
          "requestIdExtension": {"typedConfig": {
            "@type": "type.googleapis.com/envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig",
            "useRequestIdForTraceSampling": true}}
        }""", HttpConnectionManager.newBuilder()));
    assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName()).containsExactly("istio.metadata_exchange",
        "envoy.filters.http.grpc_stats", "envoy.filters.http.fault", "envoy.filters.http.cors",
        "envoy.filters.http.router");
    assertThat(hcm.getHttpFilters(0).getTypedConfig()
        .unpack(com.github.udpa.udpa.type.v1.TypedStruct.class).getTypeUrl())
        .isEqualTo("type.googleapis.com/io.istio.http.peer_metadata.Config");
  }

  @Test
  void httpListener_clientReadsRdsNameAndFilters() {
    ListenerConfig parsed = assertAccepted(generator.generate(bookinfoServices(), productpage(), MeshSettings.DEFAULT)
        .get(0));

    assertThat(parsed.bindToPort()).isFalse();
    var hcm = (NetworkFilter.HttpConnectionManager) parsed.filterChains().get(0).filters().get(0);
    assertThat(hcm.config().routeSource()).isEqualTo(new HttpConnectionManagerConfig.RouteSource.Rds("9080"));
    assertThat(hcm.config().httpFilters()).extracting(HttpFilterConfig::name).containsExactly(
        "istio.metadata_exchange", "envoy.filters.http.grpc_stats", "envoy.filters.http.fault",
        "envoy.filters.http.cors", "envoy.filters.http.router");
    assertThat(hcm.config().httpFilters().get(0)).isEqualTo(new HttpFilterConfig.Opaque("istio.metadata_exchange",
        "type.googleapis.com/io.istio.http.peer_metadata.Config", false, false));
  }

  @Test
  void tcpListener_proxiesToTheServiceCluster() {
    Listener mongo = generator.generate(withMongo(), productpage(), MeshSettings.DEFAULT).get(1);

    assertThat(mongo).isEqualTo(parse("""
        {
          "name": "10.96.0.20_27017",
          "address": {"socketAddress": {"address": "10.96.0.20", "portValue": 27017}},
          "trafficDirection": "OUTBOUND",
          "bindToPort": false,
          "continueOnListenerFiltersTimeout": true,
          "listenerFiltersTimeout": "0s",
          "filterChains": [{"filters": [{"name": "envoy.filters.network.tcp_proxy", "typedConfig": {
            "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
            "statPrefix": "outbound|27017||mongodb.default.svc.cluster.local",
            "cluster": "outbound|27017||mongodb.default.svc.cluster.local"}}]}]
        }""", Listener.newBuilder()));
  }

  @Test
  void virtualOutbound_blackholesItsOwnPort_passesTheRestThrough() {
    List<Listener> listeners = generator.generate(bookinfoServices(), productpage(), MeshSettings.DEFAULT);

    Listener virtual = listeners.get(listeners.size() - 1);
    assertThat(virtual.getName()).isEqualTo("virtualOutbound");
    assertThat(virtual.getUseOriginalDst().getValue()).isTrue();
    assertThat(virtual.getAddress().getSocketAddress().getPortValue()).isEqualTo(15001);
    assertThat(virtual.getFilterChainsList()).extracting(FilterChain::getName)
        .containsExactly("virtualOutbound-blackhole", "virtualOutbound-catchall-tcp");
    assertThat(virtual.getFilterChains(0).getFilterChainMatch().getDestinationPort().getValue()).isEqualTo(15001);
  }

  @Test
  void noInterception_bindsLoopback_noSniffingNoFallbackNoVirtualOutbound() throws Exception {
    ProxyView direct = XdsgenFixtures.proxy("default", Map.of("app", "productpage"),
        Map.of("INTERCEPTION_MODE", "NONE"));

    List<Listener> listeners = generator.generate(withMongo(), direct, MeshSettings.DEFAULT);

    listeners.forEach(XdsgenFixtures::assertAccepted);
    assertThat(listeners).extracting(Listener::getName).containsExactly("127.0.0.1_9080", "127.0.0.1_27017");
    Listener http = listeners.get(0);
    assertThat(http.hasBindToPort()).isFalse();
    assertThat(http.hasDefaultFilterChain()).isFalse();
    assertThat(http.getListenerFiltersList()).isEmpty();
    assertThat(http.getFilterChains(0).hasFilterChainMatch()).isFalse();
    assertThat(hcm(http.getFilterChains(0)).getStatPrefix()).isEqualTo("outbound_127.0.0.1_9080;");
  }

  @Test
  void registryOnly_fallbackToBlackHole() {
    List<Listener> listeners = new OutboundListenerGenerator(OutboundTrafficPolicy.REGISTRY_ONLY, notes::add)
        .generate(bookinfoServices(), productpage(), MeshSettings.DEFAULT);

    assertThat(listeners.get(0).getDefaultFilterChain().getFilters(0).getTypedConfig().toString())
        .contains("BlackHoleCluster");
    assertThat(listeners.get(1).getFilterChains(1).getFilters(0).getTypedConfig().toString())
        .contains("BlackHoleCluster").doesNotContain("PassthroughCluster");
  }

  @Test
  void tcpServiceWithoutVip_onAnHttpPort_keepsTheHttpListener_withNote() {
    List<MeshService> services = new ArrayList<>(bookinfoServices());
    services.add(service("legacy", "default", List.of(), new ServicePort("tcp", 9080, Protocol.TCP, 9080, "")));
    services.add(service("cache", "default", List.of(), new ServicePort("redis", 6379, Protocol.REDIS, 6379, "")));

    List<Listener> listeners = generator.generate(services, productpage(), MeshSettings.DEFAULT);

    assertThat(listeners).extracting(Listener::getName).containsExactly("0.0.0.0_6379", "0.0.0.0_9080",
        "virtualOutbound");
    assertThat(notes).containsExactly("legacy.default.svc.cluster.local:9080 (TCP): listener 0.0.0.0_9080 already "
        + "serves HTTP services; no TCP listener for this service port");
  }
}
