package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound listeners istiod sends a sidecar. An HTTP port gets one shared listener {@code 0.0.0.0_<port>} whose
 * HTTP chain (matched on plaintext HTTP/1.1 or h2c) takes routes from RDS {@code "<port>"}, anything else falling
 * through to the {@code PassthroughFilterChain}; every other port a {@code <VIP>_<port>} listener proxying TCP to the
 * service's cluster (ports whose protocol istiod would sniff count as TCP: proxyless clients do not sniff). With
 * traffic capture ({@code INTERCEPTION_MODE} other than {@code NONE}) listeners do not bind and the
 * {@code virtualOutbound} capture listener comes last; without, they bind to 127.0.0.1 and have no fallback.
 */
public final class OutboundListenerGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundListenerGenerator.class);

  static final String WILDCARD = "0.0.0.0";
  static final String LOCALHOST = "127.0.0.1";
  static final String VIRTUAL_OUTBOUND = "virtualOutbound";
  static final int PROXY_LISTEN_PORT = 15001;
  static final String PASSTHROUGH_CHAIN = "PassthroughFilterChain";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
  static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";
  static final List<String> PLAINTEXT_HTTP_ALPNS = List.of("http/1.1", "h2c");

  private final OutboundTrafficPolicy outboundTrafficPolicy;
  private final Consumer<String> notes;

  public OutboundListenerGenerator() {
    this(OutboundTrafficPolicy.ALLOW_ANY, note -> LOG.debug("{}", note));
  }

  /**
   * @param outboundTrafficPolicy where unknown traffic goes (fallback chains)
   * @param notes receives one line per service port left without a listener, and why
   */
  public OutboundListenerGenerator(OutboundTrafficPolicy outboundTrafficPolicy, Consumer<String> notes) {
    this.outboundTrafficPolicy = Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
    this.notes = Objects.requireNonNull(notes, "notes");
  }

  /** The ports that get an HTTP listener, each one naming the route configuration {@code "<port>"}. */
  public static List<Integer> httpPorts(List<MeshService> visibleServices) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (MeshService service : visibleServices) {
      service.ports().stream().filter(p -> p.protocol().isHttp()).forEach(p -> ports.add(p.port()));
    }
    return List.copyOf(ports);
  }

  /** The outbound listeners by port and name, then {@code virtualOutbound} when traffic is captured. */
  public List<Listener> generate(List<MeshService> visibleServices, ProxyView proxy, MeshSettings mesh) {
    boolean capture = !"NONE".equals(proxy.node().metadataString("INTERCEPTION_MODE").orElse("REDIRECT"));
    Map<String, Listener> byKey = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    for (int port : httpPorts(visibleServices)) {
      String bind = capture ? WILDCARD : LOCALHOST;
      byKey.put(bind + "_" + port, httpListener(bind, port, capture));
      owners.put(bind + "_" + port, "HTTP services");
    }
    List<MeshService> sorted = visibleServices.stream().sorted(Comparator.comparing(MeshService::hostname)).toList();
    for (MeshService service : sorted) {
      for (ServicePort port : service.ports()) {
        if (port.protocol().isHttp()) {
          continue;
        }
        String bind = !capture ? LOCALHOST
            : service.addresses().stream().filter(a -> !a.isEmpty()).findFirst().orElse(WILDCARD);
        String name = bind + "_" + port.port();
        if (byKey.containsKey(name)) {
          notes.accept(service.hostname() + ":" + port.port() + " (" + port.protocol() + "): listener " + name
              + " already serves " + owners.get(name) + "; no TCP listener for this service port");
          continue;
        }
        byKey.put(name, tcpListener(bind, port.port(), capture,
            RouteActions.clusterName(port.port(), "", service.hostname())));
        owners.put(name, service.hostname());
      }
    }
    List<Listener> out = new ArrayList<>(byKey.values());
    out.sort(Comparator.comparingInt((Listener l) -> l.getAddress().getSocketAddress().getPortValue())
        .thenComparing(Listener::getName));
    if (capture) {
      out.add(virtualOutbound());
    }
    return out;
  }

  private Listener httpListener(String bind, int port, boolean capture) {
    String name = bind + "_" + port;
    FilterChain.Builder http = FilterChain.newBuilder()
        .addFilters(Filter.newBuilder()
            .setName(OutboundHttpConnectionManager.NAME)
            .setTypedConfig(Any.pack(OutboundHttpConnectionManager.build(
                "outbound_" + name + ";", Integer.toString(port)))));
    Listener.Builder out = base(name, bind, port, capture);
    if (capture) {
      http.setFilterChainMatch(FilterChainMatch.newBuilder()
          .setTransportProtocol("raw_buffer")
          .addAllApplicationProtocols(PLAINTEXT_HTTP_ALPNS));
      out.addListenerFilters(ListenerFilter.newBuilder()
              .setName(TLS_INSPECTOR)
              .setTypedConfig(Any.pack(TlsInspector.newBuilder()
                  .setInitialReadBufferSize(UInt32Value.of(512)).build())))
          .addListenerFilters(ListenerFilter.newBuilder()
              .setName(HTTP_INSPECTOR)
              .setTypedConfig(Any.pack(HttpInspector.getDefaultInstance())))
          .setDefaultFilterChain(FilterChain.newBuilder()
              .setFilterChainMatch(FilterChainMatch.getDefaultInstance())
              .setName(PASSTHROUGH_CHAIN)
              .addFilters(tcpProxy(outboundTrafficPolicy.fallbackCluster())));
    }
    return out.addFilterChains(http).build();
  }

  private static Listener tcpListener(String bind, int port, boolean capture, String cluster) {
    return base(bind + "_" + port, bind, port, capture)
        .addFilterChains(FilterChain.newBuilder().addFilters(tcpProxy(cluster)))
        .build();
  }

  private static Listener.Builder base(String name, String bind, int port, boolean capture) {
    Listener.Builder out = Listener.newBuilder()
        .setName(name)
        .setAddress(address(bind, port))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .setContinueOnListenerFiltersTimeout(true)
        .setListenerFiltersTimeout(com.google.protobuf.Duration.getDefaultInstance());
    if (capture) {
      out.setBindToPort(BoolValue.of(false));
    }
    return out;
  }

  /** The capture listener on 15001: connections to 15001 itself are dropped, the rest fall back. */
  private Listener virtualOutbound() {
    return Listener.newBuilder()
        .setName(VIRTUAL_OUTBOUND)
        .setAddress(address(WILDCARD, PROXY_LISTEN_PORT))
        .setUseOriginalDst(BoolValue.of(true))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addFilterChains(FilterChain.newBuilder()
            .setName(VIRTUAL_OUTBOUND + "-blackhole")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(UInt32Value.of(PROXY_LISTEN_PORT)))
            .addFilters(tcpProxy(DefaultClusters.BLACK_HOLE)))
        .addFilterChains(FilterChain.newBuilder()
            .setName(VIRTUAL_OUTBOUND + "-catchall-tcp")
            .addFilters(tcpProxy(outboundTrafficPolicy.fallbackCluster())))
        .build();
  }

  private static Filter tcpProxy(String cluster) {
    return tcpProxy(cluster, cluster);
  }

  /** A TCP proxy filter to {@code cluster}: the terminal filter of TCP, passthrough and blackhole chains. */
  static Filter tcpProxy(String statPrefix, String cluster) {
    return Filter.newBuilder()
        .setName(TCP_PROXY)
        .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster).build()))
        .build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }
}
