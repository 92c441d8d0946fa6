package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.RequestIDExtension;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import java.util.List;

/**
 * The HTTP connection manager of an outbound sidecar listener: routes from RDS over ADS, istiod's connection
 * settings (auto codec, normalized paths, websocket upgrades, no stream idle timeout, UUID request ids) and its
 * outbound filter order: metadata exchange, gRPC stats, fault, CORS, router. Filters that depend on MeshConfig or
 * Telemetry resources (Istio's stats filter, tracing, access logs) and the ALPN override filter for Envoy's upstream
 * TLS are not generated.
 */
final class OutboundHttpConnectionManager {
  static final String NAME = "envoy.filters.network.http_connection_manager";
  static final String METADATA_EXCHANGE = "istio.metadata_exchange";
  static final String GRPC_STATS = "envoy.filters.http.grpc_stats";
  static final String ROUTER = "envoy.filters.http.router";
  static final String PEER_METADATA_TYPE_URL = "type.googleapis.com/io.istio.http.peer_metadata.Config";

  private OutboundHttpConnectionManager() {}

  /** The connection manager for {@code routeConfigName}, its stats under {@code statPrefix}. */
  static HttpConnectionManager build(String statPrefix, String routeConfigName) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setCodecType(HttpConnectionManager.CodecType.AUTO)
        .setRds(Rds.newBuilder()
            .setConfigSource(ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3))
            .setRouteConfigName(routeConfigName))
        .setNormalizePath(BoolValue.of(true))
        .setPathWithEscapedSlashesAction(HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED)
        .setUseRemoteAddress(BoolValue.of(false))
        .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
        .setStreamIdleTimeout(com.google.protobuf.Duration.getDefaultInstance())
        .addAllHttpFilters(httpFilters())
        .setRequestIdExtension(RequestIDExtension.newBuilder()
            .setTypedConfig(Any.pack(UuidRequestIdConfig.newBuilder()
                .setUseRequestIdForTraceSampling(BoolValue.of(true)).build())))
        .build();
  }

  /** istiod's outbound filters, in order, the router last. */
  static List<HttpFilter> httpFilters() {
    return List.of(
        HttpFilter.newBuilder().setName(METADATA_EXCHANGE).setTypedConfig(peerMetadataConfig()).build(),
        HttpFilter.newBuilder().setName(GRPC_STATS).setTypedConfig(Any.pack(FilterConfig.newBuilder()
            .setEmitFilterState(true)
            .setStatsForAllMethods(BoolValue.of(false))
            .build())).build(),
        HttpFilter.newBuilder().setName(PerFilterConfigs.FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())).build(),
        HttpFilter.newBuilder().setName(PerFilterConfigs.CORS_FILTER)
            .setTypedConfig(Any.pack(Cors.getDefaultInstance())).build(),
        HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())).build());
  }

  /**
   * Istio's peer metadata filter for the client side, wrapped in a {@code TypedStruct} as istiod sends it: discover
   * the upstream peer from Istio's headers or the workload registry, propagate our own in Istio's headers.
   */
  static Any peerMetadataConfig() {
    Value istioHeaders = struct(Struct.newBuilder().putFields("istio_headers", structValue()).build());
    Value workloadDiscovery = struct(Struct.newBuilder().putFields("workload_discovery", structValue()).build());
    Struct config = Struct.newBuilder()
        .putFields("upstream_discovery", list(istioHeaders, workloadDiscovery))
        .putFields("upstream_propagation", list(istioHeaders))
        .build();
    return Any.pack(com.github.udpa.udpa.type.v1.TypedStruct.newBuilder()
        .setTypeUrl(PEER_METADATA_TYPE_URL)
        .setValue(config)
        .build());
  }

  private static Value structValue() {
    return struct(Struct.getDefaultInstance());
  }

  private static Value struct(Struct s) {
    return Value.newBuilder().setStructValue(s).build();
  }

  private static Value list(Value... values) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(List.of(values))).build();
  }
}
