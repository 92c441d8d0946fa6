package dev.inboard.mesh.agent.xdsgen;

import com.google.common.net.InetAddresses;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.fabric8.istio.api.api.networking.v1alpha3.ConnectionPoolSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.IstioIngressListener;
import io.fabric8.istio.api.api.networking.v1alpha3.Sidecar;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sidecar's own inbound clusters, {@code inbound|PORT||}: one per port its services send to (the target
 * port), ORIGINAL_DST from the {@code 127.0.0.6} bind address (the mesh's default PASSTHROUGH inbound mode); or,
 * when its Sidecar declares {@code ingress} listeners, one per listener towards its {@code defaultEndpoint}.
 */
final class InboundClusters {
  /** istiod disables cleanup of inbound ORIGINAL_DST hosts: the longest duration it can express. */
  static final long NO_CLEANUP_SECONDS = 9223372035L;
  private static final String LOCALHOST = "127.0.0.1";
  private static final String LOCALHOST_IPV6 = "::1";

  /** A service port of this proxy and the port its workload listens on. */
  record Target(MeshService service, ServicePort port, int targetPort) {}

  private InboundClusters() {}

  static List<Cluster> build(ClusterContext ctx) {
    List<Target> targets = targets(ctx);
    Optional<ConfigResource<Sidecar>> sidecar = ctx.scope().sidecar();
    if (sidecar.isPresent() && sidecar.get().spec().getIngress() != null
        && !sidecar.get().spec().getIngress().isEmpty()) {
      return fromSidecar(ctx, sidecar.get(), targets);
    }
    Map<Integer, List<Target>> byPort = new TreeMap<>();
    targets.forEach(t -> byPort.computeIfAbsent(t.targetPort(), k -> new ArrayList<>()).add(t));
    List<Cluster> out = new ArrayList<>();
    byPort.forEach((port, group) -> out.add(cluster(ctx, port, "", group.get(0).port(), group, 0)));
    return out;
  }

  /**
   * The services whose workloads include this proxy: a selector in its namespace matching its labels, or a
   * ServiceEntry endpoint at one of its addresses.
   */
  static List<Target> targets(ClusterContext ctx) {
    ProxyView proxy = ctx.proxy();
    Optional<WorkloadInstance> self = ctx.push().registry().workloads().stream()
        .filter(w -> w.namespace().equals(proxy.namespace()) && proxy.ipAddresses().contains(w.address()))
        .findFirst();
    List<Target> out = new ArrayList<>();
    List<MeshService> services = new ArrayList<>(ctx.push().registry().services());
    services.sort(Comparator.comparing(MeshService::hostname).thenComparing(MeshService::namespace));
    for (MeshService s : services) {
      Optional<WorkloadInstance> instance = Optional.empty();
      if (s.namespace().equals(proxy.namespace()) && !s.workloadSelector().isEmpty()
          && Sidecars.selects(s.workloadSelector(), proxy.labels())) {
        instance = Optional.of(self.orElseGet(() -> placeholder(proxy)));
      } else {
        instance = s.staticEndpoints().stream().filter(w -> proxy.ipAddresses().contains(w.address())).findFirst();
      }
      if (instance.isPresent()) {
        for (ServicePort p : s.ports()) {
          out.add(new Target(s, p, LbEndpoints.endpointPort(s, p, instance.get())));
        }
      }
    }
    return out;
  }

  private static WorkloadInstance placeholder(ProxyView proxy) {
    return new WorkloadInstance(proxy.id(), proxy.namespace(), "", proxy.labels(), proxy.serviceAccount(), Map.of(),
        "", "", false, 0, WorkloadInstance.Origin.AUTO_REGISTERED);
  }

  private static List<Cluster> fromSidecar(ClusterContext ctx, ConfigResource<Sidecar> sidecar,
      List<Target> targets) {
    List<Cluster> out = new ArrayList<>();
    for (IstioIngressListener ingress : sidecar.spec().getIngress()) {
      if (ingress.getPort() == null || ingress.getPort().getNumber() == null) {
        continue;
      }
      int number = ingress.getPort().getNumber().intValue();
      String portName = ingress.getPort().getName() == null ? "" : ingress.getPort().getName();
      ServicePort listenPort = new ServicePort(portName, number,
          Protocol.of(ingress.getPort().getProtocol() == null ? portName : ingress.getPort().getProtocol()),
          number, "");
      String endpoint = ingress.getDefaultEndpoint() == null ? "" : ingress.getDefaultEndpoint();
      String bind = "";
      int endpointPort = 0;
      if (endpoint.startsWith(LbEndpoints.UNIX_PREFIX)) {
        bind = endpoint;
      } else if (!endpoint.isEmpty()) {
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
          continue;
        }
        endpointPort = Integer.parseInt(endpoint.substring(colon + 1));
        bind = bindFor(ctx, endpoint.substring(0, colon));
      }
      int target = endpointPort;
      List<Target> group = targets.stream().filter(t -> t.targetPort() == number).findFirst()
          .map(t -> List.of(new Target(t.service(), listenPort, target))).orElse(List.of());
      out.add(cluster(ctx, number, bind, listenPort, group, endpointPort));
    }
    return out;
  }

  private static String bindFor(ClusterContext ctx, String host) {
    return switch (host) {
      case "0.0.0.0" -> ctx.proxy().ipAddresses().stream().filter(ip -> !ip.contains(":")).findFirst()
          .orElse(LOCALHOST);
      case "[::]" -> ctx.proxy().ipAddresses().stream().filter(ip -> ip.contains(":")).findFirst()
          .orElse(LOCALHOST_IPV6);
      case "[::1]" -> LOCALHOST_IPV6;
      default -> host;
    };
  }

  private static Cluster cluster(ClusterContext ctx, int clusterPort, String bind, ServicePort servicePort,
      List<Target> group, int endpointPort) {
    String name = "inbound|" + clusterPort + "||";
    Cluster.Builder c = Cluster.newBuilder().setName(name)
        .setCommonLbConfig(Cluster.CommonLbConfig.getDefaultInstance()).setAltStatName(name + ";");
    if (bind.isEmpty()) {
      c.setType(Cluster.DiscoveryType.ORIGINAL_DST)
          .setCleanupInterval(com.google.protobuf.Duration.newBuilder().setSeconds(NO_CLEANUP_SECONDS));
    } else {
      c.setType(Cluster.DiscoveryType.STATIC).setLoadAssignment(ClusterLoadAssignment.newBuilder()
          .setClusterName(name)
          .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
              .setEndpoint(Endpoint.newBuilder().setAddress(address(bind, endpointPort))))));
    }
    ClusterDraft draft = new ClusterDraft(c);
    if (servicePort.protocol() == Protocol.HTTP2 || servicePort.protocol() == Protocol.GRPC
        || servicePort.protocol() == Protocol.GRPC_WEB) {
      draft.useHttp2();
    } else if (servicePort.protocol() == Protocol.UNSUPPORTED) {
      draft.useDownstreamProtocol();
    }
    if (!group.isEmpty()) {
      Set<MeshService> services = new LinkedHashSet<>();
      Set<String> hosts = new LinkedHashSet<>();
      for (Target t : group) {
        if (t.port().port() == servicePort.port() && hosts.add(t.service().hostname())) {
          services.add(t.service());
        }
      }
      ClusterMetadata.services(c, List.copyOf(services));
    }
    Optional<TrafficPolicy> policy = Optional.empty();
    if (!group.isEmpty()) {
      Optional<ConfigResource<DestinationRule>> rule = ctx.rules().inbound(ctx.proxy(), group.get(0).service());
      if (rule.isPresent() && rule.get().spec().getTrafficPolicy() != null) {
        policy = Optional.of(TrafficPolicies.merge(rule.get().spec().getTrafficPolicy(), Optional.empty(),
            servicePort.port()));
        ClusterMetadata.config(c, rule.get());
      }
    }
    Optional<ConnectionPoolSettings> sidecarPool = sidecarConnectionPool(ctx, clusterPort);
    if (sidecarPool.isPresent()) {
      TrafficPolicy withPool = policy.map(p -> TrafficPolicies.merge(p, Optional.empty(), 0))
          .orElseGet(TrafficPolicy::new);
      withPool.setConnectionPool(sidecarPool.get());
      policy = Optional.of(withPool);
    }
    TrafficPolicyApplier.inbound(draft, policy);
    if (!bind.equals(LOCALHOST) && !bind.equals(LOCALHOST_IPV6)) {
      c.setUpstreamBindConfig(BindConfig.newBuilder().setSourceAddress(DefaultClusters.bindAddress(
          ctx.ipv6Only() ? DefaultClusters.INBOUND_BIND_IPV6 : DefaultClusters.INBOUND_BIND_IPV4)));
    }
    return draft.build();
  }

  /** The Sidecar's connection pool for an inbound port: the ingress listener's, else the Sidecar-wide one. */
  private static Optional<ConnectionPoolSettings> sidecarConnectionPool(ClusterContext ctx, int port) {
    Optional<Sidecar> sidecar = ctx.scope().sidecar().map(ConfigResource::spec);
    if (sidecar.isEmpty()) {
      return Optional.empty();
    }
    if (sidecar.get().getIngress() != null) {
      for (IstioIngressListener in : sidecar.get().getIngress()) {
        if (in.getPort() != null && in.getPort().getNumber() != null && in.getPort().getNumber() == port
            && in.getConnectionPool() != null) {
          return Optional.of(in.getConnectionPool());
        }
      }
    }
    return Optional.ofNullable(sidecar.get().getInboundConnectionPool());
  }

  private static Address address(String bind, int port) {
    if (bind.startsWith(LbEndpoints.UNIX_PREFIX)) {
      return Address.newBuilder().setPipe(Pipe.newBuilder().setPath(bind.substring(LbEndpoints.UNIX_PREFIX.length())))
          .build();
    }
    String host = bind.startsWith("[") ? bind.substring(1, bind.length() - 1) : bind;
    if (!InetAddresses.isInetAddress(host)) {
      host = bind;
    }
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }
}
