package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.jspecify.annotations.Nullable;

/**
 * A cluster being built, with its upstream HTTP protocol options kept apart until the end (several steps add to
 * them; istiod packs them into {@code typed_extension_protocol_options} last).
 */
final class ClusterDraft {
  static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  final Cluster.Builder cluster;
  private HttpProtocolOptions.@Nullable Builder http;

  ClusterDraft(Cluster.Builder cluster) {
    this.cluster = cluster;
  }

  /** The HTTP protocol options, created on first use. */
  HttpProtocolOptions.Builder http() {
    HttpProtocolOptions.Builder options = http;
    if (options == null) {
      options = HttpProtocolOptions.newBuilder();
      http = options;
    }
    return options;
  }

  boolean isHttp2() {
    HttpProtocolOptions.Builder options = http;
    return options != null && options.hasExplicitHttpConfig()
        && options.getExplicitHttpConfig().hasHttp2ProtocolOptions();
  }

  /** Makes the cluster speak HTTP/2 upstream, keeping HTTP/2 settings it already has. */
  void useHttp2() {
    if (!isHttp2()) {
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
    HttpProtocolOptions.Builder options = http;
    if (options != null) {
      if (options.getUpstreamProtocolOptionsCase()
          == HttpProtocolOptions.UpstreamProtocolOptionsCase.UPSTREAMPROTOCOLOPTIONS_NOT_SET) {
        options.setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
      }
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
    }
    return cluster.build();
  }
}
