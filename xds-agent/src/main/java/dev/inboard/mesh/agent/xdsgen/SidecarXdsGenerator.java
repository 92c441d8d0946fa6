package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The xDS istiod generates for an Envoy sidecar: outbound clusters and endpoints, a route table per HTTP port,
 * the outbound listeners, and the inbound listener with the workload's security policy.
 */
public final class SidecarXdsGenerator implements ProxyXdsGenerator {
  private final RouteConfigGenerator routes = new RouteConfigGenerator();
  private final OutboundListenerGenerator outbound = new OutboundListenerGenerator();

  @Override
  public GeneratedXds generate(ProxyView proxy, PushContext push) {
    ClusterContext ctx = ClusterContext.of(proxy, push);
    List<MeshService> visible = ctx.scope().services();
    HashPolicies hashPolicies = (host, port, subset) ->
        DestinationRules.hashPolicy(proxy, push, host, port.orElse(0), subset);
    List<RouteConfiguration> routeConfigs = new ArrayList<>();
    for (int port : OutboundListenerGenerator.httpPorts(visible)) {
      routeConfigs.add(routes.generate(port, visible, push.config().virtualServices(), proxy, push.mesh(),
          hashPolicies));
    }
    List<Listener> listeners = new ArrayList<>(outbound.generate(visible, proxy, push.mesh()));
    WorkloadPolicies policies = WorkloadPolicies.of(proxy, push);
    listeners.add(InboundListenerGenerator.generate(inboundPorts(ctx), policies.mtls(), policies.sidecarFilters()));
    return new GeneratedXds(ClusterGenerator.generate(proxy, push), EndpointGenerator.generate(proxy, push),
        listeners, routeConfigs);
  }

  /** The ports the proxy's workload serves, one per target port (the first service claiming it names it). */
  static List<InboundListenerGenerator.InboundPort> inboundPorts(ClusterContext ctx) {
    Map<Integer, InboundListenerGenerator.InboundPort> byTarget = new LinkedHashMap<>();
    for (InboundClusters.Target t : InboundClusters.targets(ctx)) {
      byTarget.putIfAbsent(t.targetPort(), new InboundListenerGenerator.InboundPort(t.targetPort(),
          t.service().hostname(), t.port().port(), t.port().protocol()));
    }
    return List.copyOf(byTarget.values());
  }
}
