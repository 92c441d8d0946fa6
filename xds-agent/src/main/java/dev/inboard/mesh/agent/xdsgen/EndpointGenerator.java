package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimple;
import io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsSimpleLB;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EDS for a sidecar-shaped proxy: a {@code ClusterLoadAssignment} for every EDS cluster {@link ClusterGenerator}
 * makes (services resolved STATIC, and their subsets unless a subset passes through), with the service's workloads
 * (a subset's filtered by its labels) grouped by locality.
 */
public final class EndpointGenerator {
  private EndpointGenerator() {}

  /** One assignment per EDS cluster of the proxy, in cluster order. */
  public static List<ClusterLoadAssignment> generate(ProxyView proxy, PushContext push) {
    return generate(ClusterContext.of(proxy, push));
  }

  static List<ClusterLoadAssignment> generate(ClusterContext ctx) {
    List<ClusterLoadAssignment> out = new ArrayList<>();
    for (MeshService service : ctx.scope().services()) {
      if (OutboundClusters.type(service) != Cluster.DiscoveryType.EDS) {
        continue;
      }
      Optional<ConfigResource<DestinationRule>> rule = ctx.rules().outbound(ctx.proxy(), service);
      for (ServicePort port : service.ports()) {
        out.add(assignment(ctx, service, port, "", rule));
        for (Subset subset : rule.map(r -> r.spec().getSubsets()).orElse(List.of())) {
          if (!passthrough(subset)) {
            out.add(assignment(ctx, service, port, subset.getName() == null ? "" : subset.getName(), rule));
          }
        }
      }
    }
    return out;
  }

  /**
   * The assignment for one cluster name ({@code outbound|PORT|SUBSET|HOST}); empty (no endpoints) when the proxy
   * does not see such a service port.
   */
  public static ClusterLoadAssignment forCluster(ProxyView proxy, PushContext push, String clusterName) {
    String[] parts = clusterName.split("\\|", -1);
    ClusterLoadAssignment empty = ClusterLoadAssignment.newBuilder().setClusterName(clusterName).build();
    if (parts.length != 4 || !parts[0].equals("outbound")) {
      return empty;
    }
    int portNumber;
    try {
      portNumber = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return empty;
    }
    ClusterContext ctx = ClusterContext.of(proxy, push);
    Optional<MeshService> service = ctx.scope().service(parts[3]);
    Optional<ServicePort> port = service.flatMap(s -> s.port(portNumber));
    if (port.isEmpty()) {
      return empty;
    }
    return assignment(ctx, service.get(), port.get(), parts[2], ctx.rules().outbound(proxy, service.get()));
  }

  private static ClusterLoadAssignment assignment(ClusterContext ctx, MeshService service, ServicePort port,
      String subsetName, Optional<ConfigResource<DestinationRule>> rule) {
    TrafficPolicy top = rule.map(r -> r.spec().getTrafficPolicy()).orElseGet(TrafficPolicy::new);
    Optional<Subset> subset = subsetName.isEmpty() ? Optional.empty()
        : rule.flatMap(r -> r.spec().getSubsets().stream().filter(s -> subsetName.equals(s.getName())).findFirst());
    Optional<TrafficPolicy> own = subset.map(Subset::getTrafficPolicy);
    Optional<ClientTLSSettingsTLSmode> ruleTls = subsetName.isEmpty()
        ? LbEndpoints.ruleTlsMode(top, port.port())
        : own.flatMap(p -> LbEndpoints.ruleTlsMode(p, port.port()));
    Map<String, String> labels = subset.map(Subset::getLabels).orElse(Map.of());
    var endpoints = LbEndpoints.build(ctx.proxy(), ctx.push(), ctx.peerAuthn(), new LbEndpoints.Request(service,
        port, labels == null ? Map.of() : labels, ruleTls, Optional.of(TrafficPolicies.merge(top, own, port.port())),
        true));
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(OutboundClusters.name(port.port(), subsetName, service.hostname()))
        .addAllEndpoints(endpoints)
        .build();
  }

  private static boolean passthrough(Subset subset) {
    return subset.getTrafficPolicy() != null && subset.getTrafficPolicy().getLoadBalancer() != null
        && subset.getTrafficPolicy().getLoadBalancer().getLbPolicy() instanceof LoadBalancerSettingsSimple s
        && s.getSimple() == LoadBalancerSettingsSimpleLB.PASSTHROUGH;
  }
}
