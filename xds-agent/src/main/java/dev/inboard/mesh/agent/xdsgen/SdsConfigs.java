package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;

/**
 * SDS secret references as istiod writes them: the workload certificate ({@code default}) and mesh root
 * ({@code ROOTCA}) from istio-agent's {@code sds-grpc} cluster, files as {@code file-cert:}/{@code file-root:}
 * names, credentials over ADS.
 */
final class SdsConfigs {
  static final String WORKLOAD_CERTIFICATE = "default";
  static final String ROOT_CA = "ROOTCA";
  static final String SDS_CLUSTER = "sds-grpc";

  private SdsConfigs() {}

  /** A secret from istio-agent; the workload certificate and root wait for it without a fetch timeout. */
  static SdsSecretConfig agent(String name) {
    ConfigSource.Builder source = ConfigSource.newBuilder()
        .setApiConfigSource(ApiConfigSource.newBuilder()
            .setApiType(ApiConfigSource.ApiType.GRPC)
            .setSetNodeOnFirstMessageOnly(true)
            .setTransportApiVersion(ApiVersion.V3)
            .addGrpcServices(GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(SDS_CLUSTER))))
        .setResourceApiVersion(ApiVersion.V3);
    if (name.equals(WORKLOAD_CERTIFICATE) || name.equals(ROOT_CA)) {
      source.setInitialFetchTimeout(Duration.getDefaultInstance());
    }
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(source).build();
  }

  /** A credential (Kubernetes secret) fetched over ADS, as {@code kubernetes://name} unless already a URI. */
  static SdsSecretConfig credential(String name) {
    String resource = name.contains("://") ? name : "kubernetes://" + name;
    return SdsSecretConfig.newBuilder().setName(resource).setSdsConfig(ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance()).setResourceApiVersion(ApiVersion.V3)).build();
  }
}
