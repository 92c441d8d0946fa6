package dev.inboard.mesh.bench;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.bench.IstioScaleFixture.Protocol;
import dev.inboard.mesh.bench.IstioScaleFixture.Service;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Filter;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Map;

/**
 * istiod's outbound sidecar cluster for a service port without DestinationRule: EDS over ADS, 10 s connect timeout,
 * LEAST_REQUEST, circuit breakers at 4294967295, the {@code istio} service metadata, the metadata-exchange cluster
 * filter, HTTP protocol options with a one-hour idle timeout, and auto-mTLS as two transport socket matches
 * ({@code tlsMode-istio} with the SDS secrets {@code default} and {@code ROOTCA}, {@code tlsMode-disabled}
 * plaintext).
 */
final class IstioClusters {
  private static final long UNLIMITED = 4294967295L;
  private static final String HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  private IstioClusters() {}

  static Cluster cluster(Service s) {
    String name = s.clusterName();
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(IstioProtos.ads())
            .setServiceName(name))
        .setConnectTimeout(IstioProtos.seconds(10))
        .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
        .setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
            .setMaxConnections(UInt32Value.of((int) UNLIMITED))
            .setMaxPendingRequests(UInt32Value.of((int) UNLIMITED))
            .setMaxRequests(UInt32Value.of((int) UNLIMITED))
            .setMaxRetries(UInt32Value.of((int) UNLIMITED))
            .setTrackRemaining(true)))
        .setCommonLbConfig(Cluster.CommonLbConfig.getDefaultInstance())
        .setMetadata(Metadata.newBuilder().putFilterMetadata("istio", IstioProtos.struct(Map.of(
            "services", List.of(Map.of("host", s.host(), "name", s.name(), "namespace", s.namespace())),
            "default_original_port", s.port().number()))))
        .addFilters(Filter.newBuilder()
            .setName("istio.metadata_exchange")
            .setTypedConfig(IstioProtos.opaque("envoy.tcp.metadataexchange.config.MetadataExchange",
                IstioProtos.stringField(1, "istio-peer-exchange"))))
        .putTypedExtensionProtocolOptions(HTTP_OPTIONS, httpOptions(s.port().protocol()))
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
            .setName("tlsMode-istio")
            .setMatch(IstioProtos.struct(Map.of("tlsMode", "istio")))
            .setTransportSocket(mtls(s)))
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
            .setName("tlsMode-disabled")
            .setMatch(IstioProtos.struct(Map.of()))
            .setTransportSocket(TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.raw_buffer")
                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))))
        .build();
  }

  private static Any httpOptions(Protocol protocol) {
    var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder()
        .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder().setIdleTimeout(IstioProtos.seconds(3600)));
    var explicit = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig
        .newBuilder();
    if (protocol == Protocol.GRPC) {
      explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
    } else {
      explicit.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
    }
    return Any.pack(options.setExplicitHttpConfig(explicit).build());
  }

  private static TransportSocket mtls(Service s) {
    CommonTlsContext common = CommonTlsContext.newBuilder()
        .setTlsParams(TlsParameters.newBuilder()
            .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
            .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
        .addAlpnProtocols("istio-peer-exchange")
        .addAlpnProtocols("istio")
        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
            .setName("default").setSdsConfig(IstioProtos.sds()))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(
                    "spiffe://" + IstioScaleFixture.CLUSTER_DOMAIN + "/ns/" + s.namespace() + "/sa/"
                        + s.serviceAccount())))
            .setValidationContextSdsSecretConfig(SdsSecretConfig.newBuilder()
                .setName("ROOTCA").setSdsConfig(IstioProtos.sds())))
        .build();
    UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(common)
        .setSni("outbound_." + s.port().number() + "_._." + s.host())
        .build();
    return TransportSocket.newBuilder()
        .setName("envoy.transport_sockets.tls")
        .setTypedConfig(Any.pack(tls))
        .build();
  }
}
