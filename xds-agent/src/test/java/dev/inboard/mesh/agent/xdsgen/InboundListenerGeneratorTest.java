package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.agent.authn.MtlsMode;
import dev.inboard.mesh.agent.authn.PeerAuthentications;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.config.FilterChainConfig;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.NetworkFilter;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundListenerGeneratorTest {
  static final List<InboundListenerGenerator.InboundPort> PORTS = List.of(
      new InboundListenerGenerator.InboundPort(9080, "reviews.default.svc.cluster.local", 9080, Protocol.HTTP),
      new InboundListenerGenerator.InboundPort(5432, "db.default.svc.cluster.local", 5432, Protocol.TCP));
  static final HttpFilter RBAC_FILTER = HttpFilter.newBuilder().setName("envoy.filters.http.rbac")
      .setTypedConfig(Any.pack(RBAC.getDefaultInstance())).build();

  @Test
  void permissive_tlsAndPlaintextChainsPerPort_strictPortHasOnlyTls() {
    var pa = new PeerAuthentications(MtlsMode.PERMISSIVE, Map.of(5432, MtlsMode.STRICT));

    ListenerConfig listener = parse(InboundListenerGenerator.generate(PORTS, pa, List.of(RBAC_FILTER)));

    assertThat(listener.name()).isEqualTo("virtualInbound");
    assertThat(listener.filterChains()).extracting(c -> c.name() + " " + c.match().destinationPort().orElse(0) + "/"
        + c.match().transportProtocol()).containsExactly("inbound|9080|| 9080/tls", "inbound|9080|| 9080/raw_buffer",
            "inbound|5432|| 5432/tls", "virtualInbound-blackhole 15006/", "virtualInbound 0/raw_buffer");
    FilterChainConfig tls = listener.filterChains().get(0);
    assertThat(tls.tls().orElseThrow().requireClientCertificate()).isTrue();
    assertThat(tls.tls().orElseThrow().common().certificate()).contains(new SecretRef.WorkloadCertificate("default"));
    assertThat(tls.tls().orElseThrow().common().validationRoot()).contains(new SecretRef.RootCertificate("ROOTCA"));
    HttpConnectionManagerConfig hcm = ((NetworkFilter.HttpConnectionManager) tls.filters().get(0)).config();
    assertThat(hcm.httpFilters()).extracting(f -> f.name())
        .containsExactly("envoy.filters.http.rbac", "envoy.filters.http.router");
    assertThat(listener.filterChains().get(2).filters().get(0)).isInstanceOf(NetworkFilter.TcpProxy.class);
  }

  @Test
  void disabled_onlyPlaintext() {
    var pa = new PeerAuthentications(MtlsMode.DISABLE, Map.of());

    ListenerConfig listener = parse(InboundListenerGenerator.generate(PORTS.subList(0, 1), pa, List.of()));

    assertThat(listener.filterChains()).extracting(c -> c.name())
        .containsExactly("inbound|9080||", "virtualInbound-blackhole", "virtualInbound");
    assertThat(listener.filterChains().get(0).tls()).isEmpty();
  }

  @Test
  void noPorts_stillAValidListener_blackholeAndPassthroughChains() {
    ListenerConfig listener = parse(InboundListenerGenerator.generate(List.of(),
        new PeerAuthentications(MtlsMode.PERMISSIVE, Map.of()), List.of()));

    assertThat(listener.filterChains()).extracting(c -> c.name())
        .containsExactly("virtualInbound-blackhole", "virtualInbound");
    assertThat(((NetworkFilter.TcpProxy) listener.filterChains().get(0).filters().get(0)).target())
        .isEqualTo(new NetworkFilter.TcpProxy.Target.Cluster("BlackHoleCluster"));
    assertThat(((NetworkFilter.TcpProxy) listener.filterChains().get(1).filters().get(0)).target())
        .isEqualTo(new NetworkFilter.TcpProxy.Target.Cluster("InboundPassthroughCluster"));
  }

  @Test
  void strict_noPlaintextPassthrough() {
    ListenerConfig listener = parse(InboundListenerGenerator.generate(List.of(),
        new PeerAuthentications(MtlsMode.STRICT, Map.of()), List.of()));

    assertThat(listener.filterChains()).extracting(c -> c.name()).containsExactly("virtualInbound-blackhole");
  }

  private static ListenerConfig parse(io.envoyproxy.envoy.config.listener.v3.Listener listener) {
    ParseResult<ListenerConfig> result = new ListenerParser().parse(Any.pack(listener));
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ListenerConfig>) result).resource();
  }
}
