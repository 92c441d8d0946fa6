package dev.inboard.mesh.snapshot;

import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.SecretRef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration this workload received, resolved into one immutable graph: listeners -> route
 * configurations -> clusters -> endpoints, and the certificate sources they name. A new snapshot replaces the old
 * one whenever anything changes; readers take it from one volatile reference and never see a half-applied update.
 *
 * @param version increases by one with every published change (0 is the empty snapshot before any config)
 * @param complete whether everything subscribed has arrived or is known not to exist (Envoy's "initialized")
 */
public record MeshSnapshot(
    long version,
    Map<String, ListenerConfig> listeners,
    Map<String, RouteConfig> routes,
    Map<String, ClusterConfig> clusters,
    Map<String, EndpointsConfig> endpoints,
    Set<SecretRef> secrets,
    boolean complete) {

  public static final MeshSnapshot EMPTY =
      new MeshSnapshot(0, Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), false);

  public MeshSnapshot {
    listeners = Map.copyOf(listeners);
    routes = Map.copyOf(routes);
    clusters = Map.copyOf(clusters);
    endpoints = Map.copyOf(endpoints);
    secrets = Set.copyOf(secrets);
  }

  public Optional<ListenerConfig> listener(String name) {
    return Optional.ofNullable(listeners.get(name));
  }

  public Optional<RouteConfig> route(String name) {
    return Optional.ofNullable(routes.get(name));
  }

  public Optional<ClusterConfig> cluster(String name) {
    return Optional.ofNullable(clusters.get(name));
  }

  /** The endpoints of a cluster, looked up by its EDS service name. */
  public Optional<EndpointsConfig> endpointsOf(ClusterConfig cluster) {
    return cluster.edsServiceName().map(endpoints::get);
  }
}
