package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.MtlsMode;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The xDS of istiod's {@code grpc} generator, for proxyless gRPC workloads (node metadata {@code GENERATOR=grpc}):
 * {@code host:port} client listeners, one-virtual-host route tables {@code outbound|PORT||FQDN}, clusters with the
 * traffic-policy parts gRPC applies, standard endpoints, and inbound listeners named by the address gRPC listens on.
 * Everything the proxy could ask for is generated; the ADS server answers only the names it asks for.
 */
public final class GrpcXdsGenerator implements ProxyXdsGenerator {
  /** Addresses gRPC servers fill into the inbound listener name template. */
  static final List<String> LISTEN_ADDRESSES = List.of("0.0.0.0", "[::]");

  private final RouteConfigGenerator routes = new RouteConfigGenerator();

  @Override
  public GeneratedXds generate(ProxyView proxy, PushContext push) {
    ClusterContext ctx = ClusterContext.of(proxy, push);
    List<MeshService> visible = ctx.scope().services();
    List<Listener> listeners = new ArrayList<>();
    visible.forEach(s -> listeners.addAll(GrpcListeners.client(s, proxy.namespace())));
    WorkloadPolicies policies = WorkloadPolicies.of(proxy, push);
    for (InboundListenerGenerator.InboundPort port : SidecarXdsGenerator.inboundPorts(ctx)) {
      Optional<TransportSocket> tls = serverMtls(proxy, policies.mtls().modeFor(port.targetPort()))
          ? Optional.of(GrpcClusters.serverTls()) : Optional.empty();
      for (String address : LISTEN_ADDRESSES) {
        listeners.add(GrpcListeners.server(address, port.targetPort(), tls, policies.grpcFilters()));
      }
    }
    return new GeneratedXds(clusters(proxy, push, visible), EndpointGenerator.generate(proxy, push), listeners,
        routeTables(proxy, push, visible));
  }

  /**
   * gRPC cannot serve PERMISSIVE (plaintext and mTLS on one port): a workload labelled for Istio mTLS gets STRICT,
   * others plaintext, as istiod decides for it.
   */
  static boolean serverMtls(ProxyView proxy, MtlsMode mode) {
    return mode == MtlsMode.STRICT
        || (mode == MtlsMode.PERMISSIVE && "istio".equals(proxy.labels().get("security.istio.io/tlsMode")));
  }

  private List<RouteConfiguration> routeTables(ProxyView proxy, PushContext push, List<MeshService> visible) {
    HashPolicies hashPolicies = (host, port, subset) ->
        DestinationRules.hashPolicy(proxy, push, host, port.orElse(0), subset);
    Map<Integer, List<VirtualHost>> vhostsByPort = new HashMap<>();
    List<RouteConfiguration> out = new ArrayList<>();
    for (MeshService service : visible) {
      for (ServicePort port : service.ports()) {
        List<VirtualHost> vhosts = vhostsByPort.computeIfAbsent(port.port(), p -> routes.virtualHosts(p, visible,
            push.config().virtualServices(), proxy, push.mesh(), hashPolicies));
        String hostPort = service.hostname() + ":" + port.port();
        vhosts.stream()
            .filter(v -> v.getDomainsList().contains(service.hostname()) || v.getDomainsList().contains(hostPort))
            .findFirst()
            .ifPresent(v -> out.add(RouteConfiguration.newBuilder()
                .setName("outbound|" + port.port() + "||" + service.hostname())
                .addVirtualHosts(withoutAbsoluteNames(v)).build()));
      }
    }
    return out;
  }

  /**
   * The virtual host without its absolute-name domains ({@code host.} and {@code host.:port}), which istiod adds for
   * sidecars (its {@code ENABLE_ABSOLUTE_FQDN_VHOST_DOMAIN}) and sends to gRPC clients too. A gRPC client matches
   * domains against the authority of its target, which never ends with a dot; grpc-java (through 1.85) refuses such
   * a domain outright and fails every call of a channel whose target is not matched by an earlier domain (a short
   * name like {@code echo:7070}). Leaving them out is istiod's behaviour with that option off.
   */
  static VirtualHost withoutAbsoluteNames(VirtualHost vhost) {
    List<String> kept = vhost.getDomainsList().stream().filter(d -> !absoluteName(d)).toList();
    if (kept.size() == vhost.getDomainsCount()) {
      return vhost;
    }
    return vhost.toBuilder().clearDomains().addAllDomains(kept).build();
  }

  /** Whether a domain's host part ends with a dot: {@code a.b.}, {@code a.b.:80}, {@code *.a.b.}. */
  static boolean absoluteName(String domain) {
    String host = domain;
    int colon = domain.lastIndexOf(':');
    if (colon > 0 && colon < domain.length() - 1
        && domain.substring(colon + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
      host = domain.substring(0, colon);
    }
    return host.endsWith(".");
  }

  private static List<Cluster> clusters(ProxyView proxy, PushContext push, List<MeshService> visible) {
    List<Cluster> out = new ArrayList<>();
    for (MeshService service : visible) {
      Optional<DestinationRule> rule = DestinationRules.forHost(proxy, push, service.hostname())
          .map(ConfigResource::spec);
      TrafficPolicy top = rule.map(DestinationRule::getTrafficPolicy).orElse(null);
      List<String> identities = identities(push, service);
      for (ServicePort port : service.ports()) {
        String suffix = "|" + service.hostname();
        out.add(GrpcClusters.cluster("outbound|" + port.port() + "|" + suffix,
            Optional.of(DestinationRules.mergedPolicy(orEmpty(top), Optional.empty(), port.port())), identities));
        for (Subset subset : rule.map(DestinationRule::getSubsets).orElse(List.of())) {
          out.add(GrpcClusters.cluster("outbound|" + port.port() + "|" + subset.getName() + suffix,
              Optional.of(DestinationRules.mergedPolicy(orEmpty(top), Optional.ofNullable(subset.getTrafficPolicy()),
                  port.port())), identities));
        }
      }
    }
    return out;
  }

  /** The SPIFFE identities of a service's workloads: what its clients verify. */
  private static List<String> identities(PushContext push, MeshService service) {
    TreeSet<String> out = new TreeSet<>();
    for (WorkloadInstance w : push.registry().instancesOf(service)) {
      if (!w.serviceAccount().isEmpty()) {
        out.add("spiffe://" + push.mesh().trustDomain() + "/ns/" + w.namespace() + "/sa/" + w.serviceAccount());
      }
    }
    return List.copyOf(out);
  }

  private static TrafficPolicy orEmpty(TrafficPolicy policy) {
    return policy == null ? new TrafficPolicy() : policy;
  }
}
