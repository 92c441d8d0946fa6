package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettingsHTTPSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrpcShapesTest {
  static final MeshService ECHO = new MeshService("echo.default.svc.cluster.local", "default", List.of("10.96.0.7"),
      List.of(new ServicePort("grpc", 7070, Protocol.GRPC, 17070, "")), MeshService.Resolution.STATIC, false,
      Map.of("app", "echo"), List.of(), Set.of("*"), "Service default/echo");

  @Test
  void clientListeners_oneSpellingEach_inTheServicesNamespace_rdsByFqdn() {
    List<Listener> listeners = GrpcListeners.client(ECHO, "default");

    assertThat(listeners).extracting(Listener::getName).containsExactly(
        "echo.default.svc.cluster.local:7070", "echo.default.svc:7070", "echo.default:7070", "echo:7070");
    for (Listener l : listeners) {
      ListenerConfig parsed = valid(new ListenerParser().parse(Any.pack(l)));
      HttpConnectionManagerConfig hcm = parsed.apiListener().orElseThrow();
      assertThat(hcm.rdsName()).contains("outbound|7070||echo.default.svc.cluster.local");
      assertThat(hcm.httpFilters()).extracting(f -> f.name())
          .containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
      assertThat(parsed.address().orElseThrow().host()).isEqualTo("10.96.0.7");
    }
  }

  @Test
  void clientListeners_fromAnotherNamespace_onlyTheFqdn() {
    assertThat(GrpcListeners.client(ECHO, "other")).extracting(Listener::getName)
        .containsExactly("echo.default.svc.cluster.local:7070");
  }

  @Test
  void serverListener_plaintextAndMtls_asTheGrpcGeneratorNamesThem() {
    Listener plain = GrpcListeners.server("0.0.0.0", 17070, Optional.empty(), List.of());
    Listener mtls = GrpcListeners.server("[::]", 17070, Optional.of(GrpcClusters.serverTls()), List.of());

    assertThat(plain.getName()).isEqualTo("xds.istio.io/grpc/lds/inbound/0.0.0.0:17070");
    assertThat(plain.getFilterChains(0).getName()).isEqualTo("inbound-plaintext");
    assertThat(plain.getFilterChains(0).getFilters(0).getName()).isEqualTo("inbound-hcmplaintext");
    assertThat(mtls.getName()).isEqualTo("xds.istio.io/grpc/lds/inbound/[::]:17070");
    assertThat(mtls.getAddress().getSocketAddress().getAddress()).isEqualTo("::");
    ListenerConfig parsed = valid(new ListenerParser().parse(Any.pack(mtls)));
    var chain = parsed.filterChains().get(0);
    assertThat(chain.name()).isEqualTo("inbound-mtls");
    assertThat(chain.tls().orElseThrow().requireClientCertificate()).isTrue();
    assertThat(chain.tls().orElseThrow().common().certificate()).contains(
        new SecretRef.ProviderInstance("default/default", "default", "default"));
    valid(new ListenerParser().parse(Any.pack(plain)));
  }

  @Test
  void cluster_istioMutualAndHttp2MaxRequests_becomeTlsAndMaxRequests() {
    TrafficPolicy policy = new TrafficPolicy();
    policy.setTls(new ClientTLSSettings());
    policy.getTls().setMode(ClientTLSSettingsTLSmode.ISTIO_MUTUAL);
    policy.setConnectionPool(new ConnectionPoolSettings());
    policy.getConnectionPool().setHttp(new ConnectionPoolSettingsHTTPSettings());
    policy.getConnectionPool().getHttp().setHttp2MaxRequests(7);

    Cluster c = GrpcClusters.cluster("outbound|7070|v1|echo.default.svc.cluster.local", Optional.of(policy),
        List.of("spiffe://cluster.local/ns/default/sa/echo"));

    assertThat(c.getAltStatName()).isEqualTo("outbound|7070|v1|echo.default.svc.cluster.local;");
    assertThat(c.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue()).isEqualTo(7);
    var parsed = valid(new ClusterParser().parse(Any.pack(c)));
    assertThat(parsed.edsServiceName()).contains("outbound|7070|v1|echo.default.svc.cluster.local");
    assertThat(parsed.circuitBreakers().defaultPriority().maxRequests()).isEqualTo(7);
    var tls = parsed.tls().orElseThrow().common();
    assertThat(tls.validationRoot()).contains(new SecretRef.ProviderInstance("default/ROOTCA", "default", "ROOTCA"));
    assertThat(tls.subjectAltNameMatchers()).hasSize(1);
  }

  @Test
  void cluster_withoutPolicy_isPlainEds() {
    Cluster c = GrpcClusters.cluster("outbound|7070||echo.default.svc.cluster.local", Optional.empty(), List.of());

    assertThat(c.hasTransportSocket()).isFalse();
    assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    valid(new ClusterParser().parse(Any.pack(c)));
  }

  @Test
  void routeTable_forAGrpcClient_listsEveryNameWithItsPort_butNoAbsoluteNames() {
    ProxyView client = XdsgenFixtures.proxy("default", Map.of(), Map.of("GENERATOR", "grpc"));
    PushContext push = Proxies.push("""
        apiVersion: v1
        kind: Service
        metadata: {name: echo-app, namespace: default}
        spec:
          clusterIP: 1.2.3.4
          selector: {app: echo}
          ports: [{name: grpc, port: 7070, targetPort: grpc}]
        """);

    GeneratedXds xds = new GrpcXdsGenerator().generate(client, push);

    assertThat(xds.routes()).extracting(RouteConfiguration::getName)
        .containsExactly("outbound|7070||echo-app.default.svc.cluster.local");
    RouteConfiguration rc = xds.routes().get(0);
    assertThat(rc.getVirtualHostsList()).hasSize(1);
    assertThat(rc.getVirtualHosts(0).getDomainsList()).containsExactly(
        "echo-app.default.svc.cluster.local", "echo-app.default.svc.cluster.local:7070",
        "echo-app", "echo-app:7070", "echo-app.default.svc", "echo-app.default.svc:7070",
        "echo-app.default", "echo-app.default:7070", "1.2.3.4", "1.2.3.4:7070");
    XdsgenFixtures.assertAccepted(rc);
  }

  @Test
  void absoluteName_isAHostEndingWithADot_withOrWithoutPort() {
    assertThat(GrpcXdsGenerator.absoluteName("echo.default.svc.cluster.local.")).isTrue();
    assertThat(GrpcXdsGenerator.absoluteName("echo.default.svc.cluster.local.:7070")).isTrue();
    assertThat(GrpcXdsGenerator.absoluteName("*.echo.default.svc.cluster.local.")).isTrue();
    assertThat(GrpcXdsGenerator.absoluteName("echo.default.svc.cluster.local:7070")).isFalse();
    assertThat(GrpcXdsGenerator.absoluteName("[2001:db8::1]:7070")).isFalse();
    assertThat(GrpcXdsGenerator.absoluteName("[2001:db8::1]")).isFalse();
    assertThat(GrpcXdsGenerator.absoluteName("echo")).isFalse();
  }

  private static <T> T valid(ParseResult<T> result) {
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<T>) result).resource();
  }
}
