package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.ExtraSourceAddress;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.UseDownstreamHttpConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The clusters istiod gives every sidecar: {@code BlackHoleCluster} (routes to nowhere),
 * {@code PassthroughCluster} (to the original destination, for ALLOW_ANY) and {@code InboundPassthroughCluster}
 * (inbound traffic to ports no service declares, sent from the {@code 127.0.0.6} bind address).
 */
final class DefaultClusters {
  static final String BLACK_HOLE = "BlackHoleCluster";
  static final String PASSTHROUGH = "PassthroughCluster";
  static final String INBOUND_PASSTHROUGH = "InboundPassthroughCluster";
  static final String INBOUND_BIND_IPV4 = "127.0.0.6";
  static final String INBOUND_BIND_IPV6 = "::6";
  private static final Duration PASSTHROUGH_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private DefaultClusters() {}

  static Cluster blackHole() {
    return Cluster.newBuilder().setName(BLACK_HOLE).setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(IstioDurations.toProto(ClusterConnectionPool.MESH_CONNECT_TIMEOUT))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .setAltStatName(BLACK_HOLE + ";")
        .build();
  }

  static Cluster passthrough() {
    return passthroughBuilder().addFilters(ClusterMetadata.METADATA_EXCHANGE).build();
  }

  /** The passthrough cluster renamed (its stats name stays {@code PassthroughCluster;}, as istiod leaves it). */
  static Cluster inboundPassthrough(ClusterContext ctx) {
    boolean ipv4 = !ctx.ipv6Only();
    BindConfig.Builder bind = BindConfig.newBuilder().setSourceAddress(bindAddress(ipv4 ? INBOUND_BIND_IPV4
        : INBOUND_BIND_IPV6));
    if (ctx.dualStack()) {
      bind.addExtraSourceAddresses(ExtraSourceAddress.newBuilder().setAddress(bindAddress(INBOUND_BIND_IPV6)));
    }
    return passthroughBuilder().setName(INBOUND_PASSTHROUGH).setUpstreamBindConfig(bind).build();
  }

  static SocketAddress bindAddress(String ip) {
    return SocketAddress.newBuilder().setAddress(ip).setPortValue(0).build();
  }

  private static Cluster.Builder passthroughBuilder() {
    Cluster.Builder c = Cluster.newBuilder().setName(PASSTHROUGH).setType(Cluster.DiscoveryType.ORIGINAL_DST)
        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
        .setAltStatName(PASSTHROUGH + ";")
        .putTypedExtensionProtocolOptions(ClusterDraft.HTTP_PROTOCOL_OPTIONS, Any.pack(
            io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                    .setIdleTimeout(IstioDurations.toProto(PASSTHROUGH_IDLE_TIMEOUT)))
                .setUseDownstreamProtocolConfig(UseDownstreamHttpConfig.newBuilder()
                    .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                    .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build()));
    ClusterConnectionPool.apply(new ClusterDraft(c), Optional.empty());
    return c;
  }
}
