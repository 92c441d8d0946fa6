package dev.inboard.mesh.testing;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;

/** Builders for istiod-shaped xDS resources used across tests. */
public final class XdsFixtures {
  public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

  private XdsFixtures() {}

  /** {@code outbound|PORT|SUBSET|HOST} as istiod names clusters. */
  public static String clusterName(int port, String subset, String host) {
    return "outbound|" + port + "|" + subset + "|" + host;
  }

  public static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(ads())
            .setServiceName(name))
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
        .build();
  }

  /** A cluster whose Maglev table size is not prime: always rejected. */
  public static Cluster badMaglevCluster(String name) {
    return edsCluster(name).toBuilder()
        .setLbPolicy(Cluster.LbPolicy.MAGLEV)
        .setMaglevLbConfig(Cluster.MaglevLbConfig.newBuilder().setTableSize(com.google.protobuf.UInt64Value.of(100)))
        .build();
  }

  /**
   * An EDS cluster with istiod's auto-mTLS shape: a {@code tlsMode-istio} transport socket match using SDS
   * {@code default} and {@code ROOTCA} with the destination's SPIFFE identity, and a plaintext fallback.
   */
  public static Cluster mtlsCluster(String name, String spiffeId) {
    var common = io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(sds("default"))
        .setCombinedValidationContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext
            .CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3
                .CertificateValidationContext.newBuilder()
                .addMatchSubjectAltNames(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder()
                    .setExact(spiffeId)))
            .setValidationContextSdsSecretConfig(sds("ROOTCA")))
        .addAlpnProtocols("istio-peer-exchange").addAlpnProtocols("istio");
    var tls = io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(common).setSni("outbound_.9080_._." + name.substring(name.lastIndexOf('|') + 1));
    return edsCluster(name).toBuilder()
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
            .setName("tlsMode-istio")
            .setMatch(com.google.protobuf.Struct.newBuilder().putFields("tlsMode",
                com.google.protobuf.Value.newBuilder().setStringValue("istio").build()))
            .setTransportSocket(io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls.build()))))
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
            .setName("tlsMode-disabled")
            .setMatch(com.google.protobuf.Struct.getDefaultInstance())
            .setTransportSocket(io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.raw_buffer").setTypedConfig(Any.pack(
                    io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDefaultInstance()))))
        .build();
  }

  private static io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig sds(String name) {
    return io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig.newBuilder().setName(name)
        .setSdsConfig(ConfigSource.newBuilder().setApiConfigSource(
            io.envoyproxy.envoy.config.core.v3.ApiConfigSource.newBuilder()
                .setApiType(io.envoyproxy.envoy.config.core.v3.ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3)
                .addGrpcServices(io.envoyproxy.envoy.config.core.v3.GrpcService.newBuilder()
                    .setEnvoyGrpc(io.envoyproxy.envoy.config.core.v3.GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName("sds-grpc"))))
            .setResourceApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3))
        .build();
  }

  public static ClusterLoadAssignment endpoints(String cluster, String... hostPorts) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String hostPort : hostPorts) {
      int colon = hostPort.lastIndexOf(':');
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(
          address(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))))));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
  }

  /** A sidecar outbound listener {@code 0.0.0.0_PORT} whose HCM takes routes from RDS {@code routeName}. */
  public static Listener sidecarListener(int port, String routeName) {
    return Listener.newBuilder()
        .setName("0.0.0.0_" + port)
        .setAddress(address("0.0.0.0", port))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm(routeName)))))
        .build();
  }

  /** A grpc-generator client listener {@code host:port} (api_listener with RDS). */
  public static Listener apiListener(String name, String routeName) {
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm(routeName))))
        .build();
  }

  public static HttpConnectionManager hcm(String routeName) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0_" + routeName)
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(routeName))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
  }

  /** A route configuration with one virtual host that sends everything to {@code cluster}. */
  public static RouteConfiguration routeTo(String name, String domain, String cluster) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(domain).addDomains(domain)
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
        .build();
  }

  /** A route configuration splitting traffic between clusters by weight. */
  public static RouteConfiguration weightedRoute(String name, String domain, String clusterA, int weightA,
      String clusterB, int weightB) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(domain).addDomains(domain)
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(clusterA)
                        .setWeight(UInt32Value.of(weightA)))
                    .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(clusterB)
                        .setWeight(UInt32Value.of(weightB)))))))
        .build();
  }

  public static Address address(String host, int port) {
    return Address.newBuilder().setSocketAddress(
        SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(io.envoyproxy.envoy.config.core.v3.ApiVersion.V3).build();
  }
}
