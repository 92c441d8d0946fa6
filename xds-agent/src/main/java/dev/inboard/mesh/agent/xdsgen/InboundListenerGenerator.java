package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.OutboundListenerGenerator.tcpProxy;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.agent.authn.MtlsMode;
import dev.inboard.mesh.agent.authn.PeerAuthentications;
import dev.inboard.mesh.agent.registry.Protocol;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar's inbound listener {@code virtualInbound}: one filter chain per workload port and mTLS mode, matched
 * on destination port and transport protocol ({@code tls} or {@code raw_buffer}), terminating Istio mTLS with the
 * workload certificate ({@code default}) and the mesh root ({@code ROOTCA}), and running the authentication and
 * authorization filters before routing to {@code inbound|PORT||}. After them come the two chains istiod gives every
 * sidecar, so that the listener is never empty (Envoy refuses a listener without filter chains), even for a
 * workload serving no port: {@code virtualInbound-blackhole} (traffic addressed to 15006 itself goes nowhere) and
 * the plaintext passthrough {@code virtualInbound} to {@code InboundPassthroughCluster} (not under STRICT mTLS).
 */
public final class InboundListenerGenerator {
  public static final String NAME = "virtualInbound";
  public static final int PORT = 15006;
  static final String BLACKHOLE_CHAIN = "virtualInbound-blackhole";

  /** A port the workload serves: the port it listens on, the service it belongs to, and its protocol. */
  public record InboundPort(int targetPort, String serviceHostname, int servicePort, Protocol protocol) {}

  private InboundListenerGenerator() {}

  /**
   * @param authFilters the HTTP filters that enforce policy on this workload, in order (jwt_authn, then RBAC)
   */
  public static Listener generate(List<InboundPort> ports, PeerAuthentications peerAuthentication,
      List<HttpFilter> authFilters) {
    Listener.Builder listener = Listener.newBuilder()
        .setName(NAME)
        .setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(PORT)))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setUseOriginalDst(BoolValue.of(true));
    for (InboundPort port : ports) {
      MtlsMode mode = peerAuthentication.modeFor(port.targetPort());
      if (mode != MtlsMode.DISABLE) {
        listener.addFilterChains(chain(port, true, authFilters));
      }
      if (mode != MtlsMode.STRICT) {
        listener.addFilterChains(chain(port, false, authFilters));
      }
    }
    listener.addFilterChains(FilterChain.newBuilder()
        .setName(BLACKHOLE_CHAIN)
        .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(PORT)))
        .addFilters(tcpProxy(BLACKHOLE_CHAIN, DefaultClusters.BLACK_HOLE)));
    if (peerAuthentication.mode() != MtlsMode.STRICT) {
      listener.addFilterChains(FilterChain.newBuilder()
          .setName(NAME)
          .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
          .addFilters(tcpProxy(DefaultClusters.INBOUND_PASSTHROUGH, DefaultClusters.INBOUND_PASSTHROUGH)));
    }
    return listener.build();
  }

  /** {@code inbound|PORT||}: where a workload's inbound traffic is delivered. */
  public static String clusterName(int targetPort) {
    return "inbound|" + targetPort + "||";
  }

  private static FilterChain chain(InboundPort port, boolean mtls, List<HttpFilter> authFilters) {
    FilterChainMatch.Builder match = FilterChainMatch.newBuilder()
        .setDestinationPort(UInt32Value.of(port.targetPort()))
        .setTransportProtocol(mtls ? "tls" : "raw_buffer");
    FilterChain.Builder chain = FilterChain.newBuilder()
        .setName(clusterName(port.targetPort()))
        .setFilterChainMatch(match);
    if (mtls) {
      chain.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
          .setTypedConfig(Any.pack(serverTls(port.protocol()))));
    }
    if (port.protocol().isHttp()) {
      chain.addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
          .setTypedConfig(Any.pack(hcm(port, authFilters))));
    } else {
      String cluster = clusterName(port.targetPort());
      chain.addFilters(tcpProxy(cluster, cluster));
    }
    return chain.build();
  }

  private static HttpConnectionManager hcm(InboundPort port, List<HttpFilter> authFilters) {
    String cluster = clusterName(port.targetPort());
    RouteConfiguration routes = RouteConfiguration.newBuilder()
        .setName(cluster)
        .setValidateClusters(BoolValue.of(false))
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName("inbound|http|" + port.servicePort())
            .addDomains("*")
            .addRoutes(Route.newBuilder()
                .setName("default")
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(cluster)
                    .setTimeout(com.google.protobuf.Duration.getDefaultInstance()))
                .setDecorator(Decorator.newBuilder()
                    .setOperation(port.serviceHostname() + ":" + port.servicePort() + "/*"))))
        .build();
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("inbound_0.0.0.0_" + port.targetPort())
        .setRouteConfig(routes);
    authFilters.forEach(hcm::addHttpFilters);
    hcm.addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
        .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return hcm.build();
  }

  private static DownstreamTlsContext serverTls(Protocol protocol) {
    List<String> alpn = new ArrayList<>();
    if (protocol.isHttp()) {
      alpn.add("h2");
      alpn.add("http/1.1");
    }
    CommonTlsContext common = CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName("default"))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(
                io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext
                    .getDefaultInstance())
            .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder().setName("ROOTCA")))
        .addAllAlpnProtocols(alpn)
        .build();
    return DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(common)
        .setRequireClientCertificate(BoolValue.of(true))
        .build();
  }
}
