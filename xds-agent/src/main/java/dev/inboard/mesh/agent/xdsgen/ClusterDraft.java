package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * A cluster being built, with its upstream HTTP protocol options kept apart until the end (several steps add to
 * them; istiod packs them into {@code typed_extension_protocol_options} last).
 */
final class ClusterDraft {
  static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  final Cluster.Builder cluster;
  private HttpProtocolOptions.Builder http;

  ClusterDraft(Cluster.Builder cluster) {
    this.cluster = cluster;
  }

  /** The HTTP protocol options, created on first use. */
  HttpProtocolOptions.Builder http() {
    if (http == null) {
      http = HttpProtocolOptions.newBuilder();
    }
    return http;
  }

  boolean isHttp2() {
    return http != null && http.hasExplicitHttpConfig() && http.getExplicitHttpConfig().hasHttp2ProtocolOptions();
  }

  /** Makes the cluster speak HTTP/2 upstream (unless auto-SNI options were already set, as istiod does). */
  void useHttp2() {
    if (!http().hasUpstreamHttpProtocolOptions()) {
      http().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
          .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()));
    }
  }

  /** Makes the cluster use whichever HTTP version the downstream request used. */
  void useDownstreamProtocol() {
    http().setUseDownstreamProtocolConfig(HttpProtocolOptions.UseDownstreamHttpConfig.newBuilder()
        .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()));
  }

  Cluster build() {
    if (http != null) {
      if (http.getUpstreamProtocolOptionsCase()
          == HttpProtocolOptions.UpstreamProtocolOptionsCase.UPSTREAMPROTOCOLOPTIONS_NOT_SET) {
        http.setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
      }
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(http.build()));
    }
    return cluster.build();
  }
}
