package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Clusters of istiod's {@code grpc} generator: plain EDS clusters plus the few traffic-policy parts gRPC applies —
 * ISTIO_MUTUAL TLS through the bootstrap's certificate provider, LEAST_REQUEST or ring hash, and
 * {@code http2MaxRequests} as the circuit breaker's {@code max_requests} (gRFC A32).
 */
public final class GrpcClusters {
  /** gRPC expects exactly this transport socket name. */
  static final String TLS_SOCKET = "envoy.transport_sockets.tls";
  /** The bootstrap's certificate provider instance istio-agent writes. */
  static final String PROVIDER = "default";

  private GrpcClusters() {}

  /**
   * One cluster. {@code policy} is the DestinationRule traffic policy already merged for the port (and subset);
   * {@code serviceAccounts} are the SPIFFE identities of the destination's workloads.
   */
  public static Cluster cluster(String name, Optional<TrafficPolicy> policy, List<String> serviceAccounts) {
    Cluster.Builder c = Cluster.newBuilder()
        .setName(name)
        .setAltStatName(name + ";")
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setServiceName(name)
            .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())));
    policy.ifPresent(p -> applyPolicy(c, p, serviceAccounts));
    return c.build();
  }

  private static void applyPolicy(Cluster.Builder c, TrafficPolicy policy, List<String> serviceAccounts) {
    if (policy.getTls() != null && policy.getTls().getMode() == ClientTLSSettingsTLSmode.ISTIO_MUTUAL) {
      UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
          .setCommonTlsContext(commonTls(serviceAccounts)).build();
      c.setTransportSocket(TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(tls)));
    }
    LoadBalancerSettings lb = policy.getLoadBalancer();
    if (lb != null && lb.getLbPolicy() instanceof LoadBalancerSettingsSimple simple
        && simple.getSimple() == LoadBalancerSettingsSimpleLB.LEAST_REQUEST) {
      c.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
    } else if (lb != null && lb.getLbPolicy() instanceof LoadBalancerSettingsConsistentHash hash) {
      c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
      var ringHash = hash.getConsistentHash();
      long minRing = ringHash == null || ringHash.getMinimumRingSize() == null ? 0
          : ringHash.getMinimumRingSize().longValue();
      if (minRing > 0) {
        c.setRingHashLbConfig(Cluster.RingHashLbConfig.newBuilder().setMinimumRingSize(UInt64Value.of(minRing)));
      }
    }
    if (policy.getConnectionPool() != null && policy.getConnectionPool().getHttp() != null
        && policy.getConnectionPool().getHttp().getHttp2MaxRequests() != null
        && policy.getConnectionPool().getHttp().getHttp2MaxRequests() > 0) {
      c.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
          .setMaxRequests(UInt32Value.of(policy.getConnectionPool().getHttp().getHttp2MaxRequests()))));
    }
  }

  /** The server side: require client certificates, validate with the mesh root. */
  public static TransportSocket serverTls() {
    DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(commonTls(List.of()))
        .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
        .build();
    return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Any.pack(tls)).build();
  }

  /**
   * Istio's certificate-provider TLS context, with both the current fields and the deprecated ones gRPC releases
   * before 1.4x read.
   */
  @SuppressWarnings("deprecation")
  static CommonTlsContext commonTls(List<String> sans) {
    CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
        .setCaCertificateProviderInstance(instance("ROOTCA"));
    sans.forEach(san -> validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san)));
    return CommonTlsContext.newBuilder()
        .setTlsCertificateProviderInstance(instance("default"))
        .setTlsCertificateCertificateProviderInstance(CommonTlsContext.CertificateProviderInstance.newBuilder()
            .setInstanceName(PROVIDER).setCertificateName("default"))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(validation)
            .setValidationContextCertificateProviderInstance(CommonTlsContext.CertificateProviderInstance
                .newBuilder().setInstanceName(PROVIDER).setCertificateName("ROOTCA")))
        .build();
  }

  private static CertificateProviderPluginInstance instance(String certificateName) {
    return CertificateProviderPluginInstance.newBuilder().setInstanceName(PROVIDER)
        .setCertificateName(certificateName).build();
  }
}
