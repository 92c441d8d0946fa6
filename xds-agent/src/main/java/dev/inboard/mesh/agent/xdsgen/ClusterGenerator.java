package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CDS for a sidecar-shaped proxy, as istiod builds it: for each visible service port the outbound cluster and one
 * per DestinationRule subset, then {@code BlackHoleCluster} and {@code PassthroughCluster}, the proxy's inbound
 * clusters and {@code InboundPassthroughCluster}. A name seen twice keeps its first cluster.
 */
public final class ClusterGenerator {
  private ClusterGenerator() {}

  public static List<Cluster> generate(ProxyView proxy, PushContext push) {
    return generate(ClusterContext.of(proxy, push));
  }

  static List<Cluster> generate(ClusterContext ctx) {
    Map<String, Cluster> out = new LinkedHashMap<>();
    List<Cluster> all = new ArrayList<>(outbound(ctx));
    all.add(DefaultClusters.blackHole());
    all.add(DefaultClusters.passthrough());
    all.addAll(InboundClusters.build(ctx));
    all.add(DefaultClusters.inboundPassthrough(ctx));
    all.forEach(c -> out.putIfAbsent(c.getName(), c));
    return List.copyOf(out.values());
  }

  /** The outbound clusters only, in service order (host name, namespace), then port order. */
  static List<Cluster> outbound(ClusterContext ctx) {
    List<Cluster> out = new ArrayList<>();
    for (MeshService service : ctx.scope().services()) {
      for (ServicePort port : service.ports()) {
        out.addAll(OutboundClusters.build(ctx, service, port));
      }
    }
    return out;
  }
}
