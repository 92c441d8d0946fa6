package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.bootstrap.ConfigShape;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound route table istiod sends a sidecar for one listener port (RDS name {@code "9080"}): a virtual host
 * {@code <host>:<port>} per visible service with an HTTP (or sniffed) port there, whose routes come from the
 * VirtualService claiming the host or are the service's default route; virtual hosts for VirtualService hosts the
 * registry does not know; sorted by name, then the catch-all {@code allow_any} (or {@code block_all}) host. Domains
 * carry no port ({@link VirtualHostDomains}): the table sets {@code ignore_port_in_host_matching}.
 */
public final class RouteConfigGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(RouteConfigGenerator.class);

  /** istiod raises Envoy's 4 KiB limit on direct response bodies to what its webhook accepts. */
  static final int MAX_DIRECT_RESPONSE_BODY_BYTES = 1024 * 1024;
  static final String DEFAULT_ROUTE = "default";
  static final String ALLOW_ANY = "allow_any";
  static final String BLOCK_ALL = "block_all";

  private final OutboundTrafficPolicy outboundTrafficPolicy;
  private final Consumer<String> notes;

  /** Unknown hosts pass through; notes (routes left out and why) are logged at DEBUG. */
  public RouteConfigGenerator() {
    this(OutboundTrafficPolicy.ALLOW_ANY, note -> LOG.debug("{}", note));
  }

  /**
   * @param outboundTrafficPolicy the catch-all virtual host: pass through or refuse unknown hosts
   * @param notes receives one line per VirtualService route left out, and why
   */
  public RouteConfigGenerator(OutboundTrafficPolicy outboundTrafficPolicy, Consumer<String> notes) {
    this.outboundTrafficPolicy = Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
    this.notes = Objects.requireNonNull(notes, "notes");
  }

  /**
   * The route configuration named {@code port}.
   *
   * @param visibleServices the services the proxy sees (its Sidecar scope and their {@code exportTo} applied)
   * @param visibleVirtualServices the VirtualServices the proxy sees, in precedence order (oldest first); those not
   *     bound to {@code mesh} or not exported to the proxy's namespace are skipped here
   * @param hashPolicies the consistent-hash policy of a destination, from its DestinationRule
   */
  public RouteConfiguration generate(int port, List<MeshService> visibleServices,
      List<ConfigResource<VirtualService>> visibleVirtualServices, ProxyView proxy, MeshSettings mesh,
      HashPolicies hashPolicies) {
    List<VirtualHost> virtualHosts = new ArrayList<>(
        virtualHosts(port, visibleServices, visibleVirtualServices, proxy, mesh, hashPolicies));
    virtualHosts.add(catchAllVirtualHost());
    return RouteConfiguration.newBuilder()
        .setName(Integer.toString(port))
        .addAllVirtualHosts(virtualHosts)
        .setValidateClusters(BoolValue.of(false))
        .setMaxDirectResponseBodySizeBytes(UInt32Value.of(MAX_DIRECT_RESPONSE_BODY_BYTES))
        .setIgnorePortInHostMatching(true)
        .build();
  }

  /**
   * The service and VirtualService virtual hosts of the port, sorted by name, without the catch-all host (the grpc
   * generator serves single virtual hosts out of this list).
   */
  public List<VirtualHost> virtualHosts(int port, List<MeshService> visibleServices,
      List<ConfigResource<VirtualService>> visibleVirtualServices, ProxyView proxy, MeshSettings mesh,
      HashPolicies hashPolicies) {
    Map<String, MeshService> servicesOnPort = new LinkedHashMap<>();
    visibleServices.stream()
        .filter(s -> s.port(port).isPresent())
        .sorted(Comparator.comparing(MeshService::hostname))
        .forEach(s -> servicesOnPort.putIfAbsent(s.hostname(), s));

    List<MeshVirtualServices.Selected> meshVirtualServices =
        MeshVirtualServices.select(visibleVirtualServices, proxy.namespace(), mesh.domainSuffix());
    Map<String, String> owners = MeshVirtualServices.ownerByService(meshVirtualServices, visibleServices);

    List<HostGroup> groups = new ArrayList<>();
    for (MeshVirtualServices.Selected vs : MeshVirtualServices.forPort(meshVirtualServices, servicesOnPort, port)) {
      RouteActions.Context ctx = new RouteActions.Context(vs.resource().namespace(), mesh.domainSuffix(), port,
          proxy.shape() == ConfigShape.GRPC, hashPolicies);
      List<Route> routes = VirtualServiceRoutes.build(vs.resource(), ctx, proxy, notes);
      if (routes.isEmpty()) {
        continue;
      }
      MeshVirtualServices.Split split = MeshVirtualServices.split(vs, servicesOnPort, owners);
      List<MeshService> httpServices = split.services().stream().filter(s -> routable(s, port)).toList();
      if (httpServices.isEmpty() && port != 80) {
        continue;
      }
      groups.add(new HostGroup(split.otherHosts(), httpServices, routes));
    }
    Set<String> claimed = new HashSet<>();
    groups.forEach(g -> g.services().forEach(s -> claimed.add(s.hostname())));
    for (MeshService service : servicesOnPort.values()) {
      if (!claimed.contains(service.hostname()) && routable(service, port)) {
        groups.add(new HostGroup(List.of(), List.of(service), List.of(defaultRoute(service, port, hashPolicies))));
      }
    }
    return VirtualHostAssembly.assemble(groups, port, proxy, mesh);
  }

  /** Virtual hosts sharing one route list: a VirtualService's, or a service's default route. */
  record HostGroup(List<String> otherHosts, List<MeshService> services, List<Route> routes) {
    HostGroup {
      otherHosts = List.copyOf(otherHosts);
      services = List.copyOf(services);
      routes = List.copyOf(routes);
    }
  }

  /** HTTP, HTTP/2, gRPC(-Web) and ports whose protocol istiod would sniff. */
  static boolean routable(MeshService service, int port) {
    Protocol protocol = service.port(port).map(ServicePort::protocol).orElse(Protocol.TCP);
    return protocol.isHttp() || protocol == Protocol.UNSUPPORTED;
  }

  /**
   * A service's route without VirtualService: everything to {@code outbound|<port>||<host>}, no timeout, the default
   * retry policy, the DestinationRule's consistent hash if any, span named {@code <host>:<port>/*}.
   */
  static Route defaultRoute(MeshService service, int port, HashPolicies hashPolicies) {
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(RouteActions.clusterName(port, "", service.hostname()))
        .setRetryPolicy(RetryPolicies.defaultPolicy(false));
    RouteActions.setTimeout(action, Duration.ZERO, false);
    hashPolicies.forDestination(service.hostname(), OptionalInt.of(port), "").ifPresent(action::addHashPolicy);
    return Route.newBuilder()
        .setName(DEFAULT_ROUTE)
        .setMatch(RouteMatches.catchAll())
        .setDecorator(Decorator.newBuilder().setOperation(service.hostname() + ":" + port + "/*"))
        .setRoute(action)
        .build();
  }

  /** Traffic for hosts no virtual host names: passed through, or answered 502 under REGISTRY_ONLY. */
  @SuppressWarnings("deprecation") // max_grpc_timeout is what istiod sends sidecars
  VirtualHost catchAllVirtualHost() {
    if (outboundTrafficPolicy == OutboundTrafficPolicy.ALLOW_ANY) {
      com.google.protobuf.Duration none = com.google.protobuf.Duration.getDefaultInstance();
      return VirtualHost.newBuilder()
          .setName(ALLOW_ANY)
          .addDomains("*")
          .addRoutes(Route.newBuilder()
              .setName(ALLOW_ANY)
              .setMatch(RouteMatches.catchAll())
              .setRoute(RouteAction.newBuilder()
                  .setCluster(DefaultClusters.PASSTHROUGH)
                  .setTimeout(none)
                  .setMaxGrpcTimeout(none)))
          .setIncludeRequestAttemptCount(true)
          .build();
    }
    return VirtualHost.newBuilder()
        .setName(BLOCK_ALL)
        .addDomains("*")
        .addRoutes(Route.newBuilder()
            .setName(BLOCK_ALL)
            .setMatch(RouteMatches.catchAll())
            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(502)))
        .setIncludeRequestAttemptCount(true)
        .build();
  }
}
