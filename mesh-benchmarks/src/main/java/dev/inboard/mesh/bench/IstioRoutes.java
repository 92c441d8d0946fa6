package dev.inboard.mesh.bench;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.bench.IstioScaleFixture.ServicePort;
import dev.inboard.mesh.bench.IstioScaleFixture.Service;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import io.envoyproxy.envoy.type.v3.Percent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * istiod's outbound sidecar listener for a service port ({@code 0.0.0.0_PORT}: an HTTP connection manager taking
 * route table {@code PORT} from RDS, Istio's HTTP filter chain, a passthrough default chain) and that route table:
 * one virtual host per service on the port, with the domains a client in {@link IstioScaleFixture#PROXY_NAMESPACE}
 * may use, a default route with Istio's retry policy, and the {@code allow_any} passthrough host.
 */
final class IstioRoutes {
  private static final String PASSTHROUGH = "PassthroughCluster";

  private IstioRoutes() {}

  static Listener outboundListener(ServicePort port) {
    String name = "0.0.0.0_" + port.number();
    return Listener.newBuilder()
        .setName(name)
        .setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port.number())))
        .addFilterChains(FilterChain.newBuilder()
            .setFilterChainMatch(FilterChainMatch.newBuilder()
                .setTransportProtocol("raw_buffer")
                .addApplicationProtocols("http/1.1")
                .addApplicationProtocols("h2c"))
            .addFilters(Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(Any.pack(connectionManager(port)))))
        .setDefaultFilterChain(FilterChain.newBuilder()
            .setName("PassthroughFilterChain")
            .setFilterChainMatch(FilterChainMatch.getDefaultInstance())
            .addFilters(Filter.newBuilder()
                .setName("envoy.filters.network.tcp_proxy")
                .setTypedConfig(Any.pack(TcpProxy.newBuilder()
                    .setStatPrefix(PASSTHROUGH).setCluster(PASSTHROUGH).build()))))
        .addListenerFilters(ListenerFilter.newBuilder()
            .setName("envoy.filters.listener.tls_inspector")
            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
        .addListenerFilters(ListenerFilter.newBuilder()
            .setName("envoy.filters.listener.http_inspector")
            .setTypedConfig(Any.pack(HttpInspector.getDefaultInstance())))
        .setListenerFiltersTimeout(IstioProtos.ZERO)
        .setContinueOnListenerFiltersTimeout(true)
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .setBindToPort(BoolValue.of(false))
        .build();
  }

  private static HttpConnectionManager connectionManager(ServicePort port) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0_" + port.number())
        .setRds(Rds.newBuilder().setConfigSource(IstioProtos.ads()).setRouteConfigName(routeName(port)))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("istio.metadata_exchange")
            .setTypedConfig(IstioProtos.typedStruct("io.istio.http.peer_metadata.Config", Map.of(
                "upstream_discovery", List.of(Map.of("istio_headers", Map.of()), Map.of("workload_discovery", Map.of())),
                "upstream_propagation", List.of(Map.of("istio_headers", Map.of()))))))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("envoy.filters.http.grpc_stats")
            .setTypedConfig(Any.pack(FilterConfig.newBuilder()
                .setEmitFilterState(true)
                .setStatsForAllMethods(BoolValue.of(false))
                .build())))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("istio.alpn")
            .setTypedConfig(IstioProtos.opaque("istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig",
                ByteString.EMPTY)))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("envoy.filters.http.fault")
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("envoy.filters.http.cors")
            .setTypedConfig(Any.pack(Cors.getDefaultInstance())))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("istio.stats")
            .setTypedConfig(IstioProtos.opaque("stats.PluginConfig", ByteString.EMPTY)))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .setTracing(HttpConnectionManager.Tracing.newBuilder()
            .setClientSampling(Percent.newBuilder().setValue(100))
            .setRandomSampling(Percent.newBuilder().setValue(1))
            .setOverallSampling(Percent.newBuilder().setValue(100))
            .addCustomTags(literalTag("istio.canonical_revision", "latest"))
            .addCustomTags(literalTag("istio.canonical_service", "client"))
            .addCustomTags(literalTag("istio.mesh_id", "cluster.local"))
            .addCustomTags(literalTag("istio.namespace", IstioScaleFixture.PROXY_NAMESPACE)))
        .setStreamIdleTimeout(IstioProtos.ZERO)
        .setUseRemoteAddress(BoolValue.of(false))
        .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
        .setNormalizePath(BoolValue.of(true))
        .setPathWithEscapedSlashesAction(HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED)
        .setRequestIdExtension(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
            .RequestIDExtension.newBuilder()
            .setTypedConfig(Any.pack(UuidRequestIdConfig.newBuilder()
                .setUseRequestIdForTraceSampling(BoolValue.of(true)).build())))
        .build();
  }

  private static CustomTag literalTag(String tag, String value) {
    return CustomTag.newBuilder().setTag(tag).setLiteral(CustomTag.Literal.newBuilder().setValue(value)).build();
  }

  static String routeName(ServicePort port) {
    return Integer.toString(port.number());
  }

  static RouteConfiguration routeConfiguration(ServicePort port, List<Service> services) {
    RouteConfiguration.Builder rc = RouteConfiguration.newBuilder()
        .setName(routeName(port))
        .setValidateClusters(BoolValue.of(false))
        .setMaxDirectResponseBodySizeBytes(UInt32Value.of(1048576))
        .setIgnorePortInHostMatching(true);
    for (Service s : services) {
      rc.addVirtualHosts(VirtualHost.newBuilder()
          .setName(s.host() + ":" + port.number())
          .addAllDomains(domains(s))
          .addRoutes(route("default", s.clusterName())
              .setDecorator(Decorator.newBuilder().setOperation(s.host() + ":" + port.number() + "/*")))
          .setIncludeRequestAttemptCount(true));
    }
    rc.addVirtualHosts(VirtualHost.newBuilder()
        .setName("allow_any")
        .addDomains("*")
        .addRoutes(route("allow_any", PASSTHROUGH))
        .setIncludeRequestAttemptCount(true));
    return rc.build();
  }

  /** The names a client may use for the service: FQDN, shorter forms, the VIP; each bare and with the port. */
  private static List<String> domains(Service s) {
    List<String> names = new ArrayList<>();
    names.add(s.host());
    if (s.namespace().equals(IstioScaleFixture.PROXY_NAMESPACE)) {
      names.add(s.name());
    }
    names.add(s.name() + "." + s.namespace() + ".svc");
    names.add(s.name() + "." + s.namespace());
    names.add(s.vip());
    List<String> out = new ArrayList<>(names.size() * 2);
    for (String n : names) {
      out.add(n);
      out.add(n + ":" + s.port().number());
    }
    return out;
  }

  private static Route.Builder route(String name, String cluster) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder()
            .setCluster(cluster)
            .setTimeout(IstioProtos.ZERO)
            .setRetryPolicy(RetryPolicy.newBuilder()
                .setRetryOn("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
                .setNumRetries(UInt32Value.of(2))
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName("envoy.retry_host_predicates.previous_hosts")
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
                .setHostSelectionRetryMaxAttempts(5)
                .addRetriableStatusCodes(503))
            .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                .setMaxStreamDuration(IstioProtos.ZERO)
                .setGrpcTimeoutHeaderMax(IstioProtos.ZERO)));
  }
}
