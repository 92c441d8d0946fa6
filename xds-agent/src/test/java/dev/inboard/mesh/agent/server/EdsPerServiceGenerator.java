package dev.inboard.mesh.agent.server;

import static dev.inboard.mesh.testing.XdsFixtures.address;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import dev.inboard.mesh.agent.xdsgen.ProxyView;
import dev.inboard.mesh.agent.xdsgen.ProxyXdsGenerator;
import dev.inboard.mesh.agent.xdsgen.PushContext;
import dev.inboard.mesh.testing.XdsFixtures;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A small generator for tests, in istiod's naming: per service port an EDS cluster
 * {@code outbound|PORT||HOST} and its endpoints (the registry's instances at their target port), a listener
 * {@code 0.0.0.0_PORT} per port and a route configuration {@code PORT} with a virtual host per service. A resource
 * annotated {@value #INVALID_CLUSTER} makes the named host's cluster one every client refuses (a Maglev table of
 * non-prime size).
 */
public final class EdsPerServiceGenerator implements ProxyXdsGenerator {
  static final String INVALID_CLUSTER = "test.inboard.dev/invalid-cluster";

  static String cluster(int port, String host) {
    return "outbound|" + port + "||" + host;
  }

  @Override
  public GeneratedXds generate(ProxyView proxy, PushContext push) {
    Set<String> invalid = push.config().all().stream()
        .map(ConfigResource::annotations)
        .filter(a -> a.containsKey(INVALID_CLUSTER))
        .map(a -> a.get(INVALID_CLUSTER))
        .collect(Collectors.toSet());
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    Set<Integer> ports = new TreeSet<>();
    for (MeshService service : push.registry().services()) {
      for (ServicePort port : service.ports()) {
        String name = cluster(port.port(), service.hostname());
        clusters.add(invalid.contains(service.hostname())
            ? XdsFixtures.badMaglevCluster(name) : XdsFixtures.edsCluster(name));
        endpoints.add(assignment(name, push.registry().instancesOf(service), port));
        ports.add(port.port());
      }
    }
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    for (int port : ports) {
      listeners.add(XdsFixtures.sidecarListener(port, String.valueOf(port)));
      RouteConfiguration.Builder route = RouteConfiguration.newBuilder().setName(String.valueOf(port));
      for (MeshService service : push.registry().services()) {
        if (service.port(port).isPresent()) {
          route.addVirtualHosts(VirtualHost.newBuilder()
              .setName(service.hostname() + ":" + port)
              .addDomains(service.hostname())
              .addDomains(service.hostname() + ":" + port)
              .addRoutes(Route.newBuilder()
                  .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                  .setRoute(RouteAction.newBuilder().setCluster(cluster(port, service.hostname())))));
        }
      }
      routes.add(route.build());
    }
    return new GeneratedXds(clusters, endpoints, listeners, routes);
  }

  private static ClusterLoadAssignment assignment(String cluster, List<WorkloadInstance> instances,
      ServicePort port) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (WorkloadInstance instance : instances) {
      Integer target = port.targetPortName().isEmpty()
          ? Integer.valueOf(port.targetPort()) : instance.ports().get(port.targetPortName());
      if (target != null) {
        locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
            .setAddress(address(instance.address(), target))));
      }
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster).addEndpoints(locality).build();
  }
}
