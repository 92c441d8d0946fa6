package dev.inboard.mesh.agent.demo;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
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
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The xDS istiod would send to Bookinfo's productpage sidecar with Istio's {@code destination-rule-all.yaml} and a
 * reviews VirtualService that sends user {@code jason} to v2 and splits the rest between v1 and v3. Endpoints are
 * loopback addresses: the services themselves arrive with the Bookinfo example.
 */
final class BookinfoXds {
  static final String NAMESPACE = "default";
  static final int PORT = 9080;

  private BookinfoXds() {}

  static String host(String service) {
    return service + "." + NAMESPACE + ".svc.cluster.local";
  }

  static String cluster(String subset, String service) {
    return "outbound|" + PORT + "|" + subset + "|" + host(service);
  }

  /** A full snapshot; {@code v1Weight} of non-jason reviews traffic goes to v1, the rest to v3. */
  static Snapshot snapshot(String version, int v1Weight) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    int port = 19080;
    for (String[] service : new String[][] {
        {"productpage", "v1"}, {"details", "v1", "v2"}, {"ratings", "v1", "v2"}, {"reviews", "v1", "v2", "v3"}}) {
      String name = service[0];
      clusters.add(edsCluster(cluster("", name), name, ""));
      List<String> addresses = new ArrayList<>();
      for (int i = 1; i < service.length; i++) {
        String subset = service[i];
        String address = "127.0.0.1:" + port++;
        addresses.add(address + "|" + subset);
        clusters.add(edsCluster(cluster(subset, name), name, subset));
        endpoints.add(assignment(cluster(subset, name), name, List.of(address + "|" + subset)));
      }
      endpoints.add(assignment(cluster("", name), name, addresses));
    }
    return Snapshot.create(clusters, endpoints, List.of(outboundListener()), List.of(routes(v1Weight)), List.of(),
        version);
  }

  private static Cluster edsCluster(String name, String service, String subset) {
    Struct.Builder istio = Struct.newBuilder()
        .putFields("default_original_port", Value.newBuilder().setNumberValue(PORT).build())
        .putFields("services", Value.newBuilder().setListValue(com.google.protobuf.ListValue.newBuilder()
            .addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("host", str(host(service)))
                .putFields("name", str(service))
                .putFields("namespace", str(NAMESPACE))))).build());
    if (!subset.isEmpty()) {
      istio.putFields("subset", str(subset));
    }
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads()).setServiceName(name))
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(10))
        .setMetadata(Metadata.newBuilder().putFilterMetadata("istio", istio.build()))
        .build();
  }

  private static ClusterLoadAssignment assignment(String cluster, String service, List<String> addresses) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String entry : addresses) {
      String[] parts = entry.split("\\|");
      String[] hostPort = parts[0].split(":");
      String workload = service + "-" + parts[1] + ";" + NAMESPACE + ";" + service + ";" + parts[1] + ";Kubernetes";
      locality.addLbEndpoints(LbEndpoint.newBuilder()
          .setEndpoint(Endpoint.newBuilder().setAddress(address(hostPort[0], Integer.parseInt(hostPort[1]))))
          .setLoadBalancingWeight(UInt32Value.of(1))
          .setMetadata(Metadata.newBuilder()
              .putFilterMetadata("istio", Struct.newBuilder().putFields("workload", str(workload)).build())));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
  }

  private static Listener outboundListener() {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound_0.0.0.0_" + PORT)
        .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(String.valueOf(PORT)))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder()
        .setName("0.0.0.0_" + PORT)
        .setAddress(address("0.0.0.0", PORT))
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static RouteConfiguration routes(int v1Weight) {
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(String.valueOf(PORT));
    for (String service : List.of("details", "productpage", "ratings", "reviews")) {
      VirtualHost.Builder vhost = VirtualHost.newBuilder().setName(host(service) + ":" + PORT);
      for (String domain : List.of(host(service), service, service + "." + NAMESPACE + ".svc",
          service + "." + NAMESPACE)) {
        vhost.addDomains(domain).addDomains(domain + ":" + PORT);
      }
      if (service.equals("reviews")) {
        vhost.addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
                .setName("end-user").setStringMatch(StringMatcher.newBuilder().setExact("jason"))))
            .setRoute(RouteAction.newBuilder().setCluster(cluster("v2", "reviews")))
            .setDecorator(Decorator.newBuilder().setOperation(host("reviews") + ":" + PORT + "/*")));
        vhost.addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(cluster("v1", "reviews"))
                    .setWeight(UInt32Value.of(v1Weight)))
                .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(cluster("v3", "reviews"))
                    .setWeight(UInt32Value.of(100 - v1Weight)))))
            .setDecorator(Decorator.newBuilder().setOperation("reviews:" + PORT + "/*")));
      } else {
        vhost.addRoutes(Route.newBuilder()
            .setName("default")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setCluster(cluster("", service)))
            .setDecorator(Decorator.newBuilder().setOperation(host(service) + ":" + PORT + "/*")));
      }
      config.addVirtualHosts(vhost);
    }
    return config.build();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  private static ConfigSource ads() {
    return ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3).build();
  }
}
