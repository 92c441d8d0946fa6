package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.TlsContext;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.snapshot.SnapshotWatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/**
 * The services this workload sees in the mesh, as Spring Cloud service instances: one service per host of an
 * {@code outbound|PORT||HOST} cluster, its instances the endpoints (from EDS, or given in the cluster) that Envoy
 * would send to (healthy, unknown or degraded), on the service's lowest port.
 *
 * <p>Service ids: a Kubernetes service in this workload's namespace is listed by its short name ({@code reviews}),
 * one in another namespace as {@code name.namespace}, any other host ({@code ServiceEntry}) as itself. Lookups
 * accept each of those and the other forms Kubernetes DNS resolves ({@code reviews.default},
 * {@code reviews.default.svc}, {@code reviews.default.svc.cluster.local}), ignoring case.
 *
 * <p>Instances carry {@link ServiceInstance#isSecure() secure} when the cluster's TLS settings for that endpoint
 * (its transport socket match, else the cluster's transport socket) use TLS, and metadata: {@code mesh.cluster},
 * {@code mesh.service-port}, {@code mesh.health}, {@code mesh.weight}, {@code mesh.tls} ({@code mutual},
 * {@code simple} or {@code none}), the locality ({@code mesh.locality.region/zone/sub-zone}) and host name when
 * EDS gives them, and every scalar of the endpoint's EDS metadata as {@code <filter>.<key>} (for Istio:
 * {@code istio.workload}, {@code envoy.transport_socket_match.tlsMode}, ...).
 *
 * <p>The view follows the mesh's snapshot: it is recomputed on the first read after a change, and listeners are told
 * of each change (on the xDS client's thread: they must be quick).
 */
public final class MeshServiceCatalog implements AutoCloseable {
  private static final String OUTBOUND = "outbound|";

  private final Mesh mesh;
  private final String namespace;
  private final SnapshotWatcher watcher = this::changed;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile View view = new View(-1, Map.of(), Map.of());

  /** {@code namespace}: this workload's, whose services are listed by their short names. */
  public MeshServiceCatalog(Mesh mesh, String namespace) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    mesh.xds().addWatcher(watcher);
  }

  /** The ids of the services this workload sees, sorted. */
  public List<String> services() {
    return List.copyOf(view().instances().keySet());
  }

  /** The instances of {@code serviceId} (any accepted form); empty for a service the mesh does not know. */
  public List<ServiceInstance> instances(String serviceId) {
    View v = view();
    String id = v.ids().get(serviceId.toLowerCase(Locale.ROOT));
    return id == null ? List.of() : v.instances().getOrDefault(id, List.of());
  }

  /** Whether {@code serviceId} (any accepted form) names a service the mesh knows. */
  public boolean knows(String serviceId) {
    return view().ids().containsKey(serviceId.toLowerCase(Locale.ROOT));
  }

  /** Runs {@code listener} after each change of the mesh's configuration. */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  @Override
  public void close() {
    mesh.xds().removeWatcher(watcher);
    listeners.clear();
  }

  private void changed(MeshSnapshot snapshot) {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }

  private View view() {
    MeshSnapshot snapshot = mesh.xds().snapshot();
    View v = view;
    if (v.version() == snapshot.version()) {
      return v;
    }
    synchronized (this) {
      v = view;
      if (v.version() != snapshot.version()) {
        v = compute(snapshot);
        view = v;
      }
      return v;
    }
  }

  private View compute(MeshSnapshot snapshot) {
    // Each service's lowest port: clusters sorted by host, then port.
    Map<String, TreeMap<Integer, ClusterConfig>> byHost = new TreeMap<>();
    for (ClusterConfig cluster : snapshot.clusters().values()) {
      String[] parts = cluster.name().split("\\|", -1);
      if (!cluster.name().startsWith(OUTBOUND) || parts.length != 4 || !parts[2].isEmpty() || parts[3].isEmpty()) {
        continue;
      }
      try {
        byHost.computeIfAbsent(parts[3].toLowerCase(Locale.ROOT), h -> new TreeMap<>())
            .put(Integer.parseInt(parts[1]), cluster);
      } catch (NumberFormatException e) {
        // Not a port: not one of istiod's outbound clusters.
      }
    }
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, List<ServiceInstance>> instances = new TreeMap<>();
    for (Map.Entry<String, TreeMap<Integer, ClusterConfig>> e : byHost.entrySet()) {
      String host = e.getKey();
      String id = serviceId(host);
      int port = e.getValue().firstKey();
      ClusterConfig cluster = e.getValue().firstEntry().getValue();
      instances.put(id, instancesOf(id, port, cluster, endpoints(snapshot, cluster)));
      for (String alias : aliases(host, id)) {
        ids.putIfAbsent(alias, id);
      }
    }
    return new View(snapshot.version(), Map.copyOf(ids), instances);
  }

  /** The id a Spring Cloud user addresses the service by from this workload's namespace. */
  private String serviceId(String host) {
    String[] labels = host.split("\\.");
    if (labels.length >= 4 && labels[2].equals("svc")) {
      return labels[1].equals(namespace) ? labels[0] : labels[0] + "." + labels[1];
    }
    return host;
  }

  private static List<String> aliases(String host, String id) {
    List<String> aliases = new ArrayList<>(List.of(id, host));
    String[] labels = host.split("\\.");
    if (labels.length >= 4 && labels[2].equals("svc")) {
      aliases.add(labels[0] + "." + labels[1]);
      aliases.add(labels[0] + "." + labels[1] + ".svc");
    }
    return aliases;
  }

  private static Optional<EndpointsConfig> endpoints(MeshSnapshot snapshot, ClusterConfig cluster) {
    ClusterConfig.DiscoveryType discovery = cluster.discovery();
    if (discovery instanceof ClusterConfig.DiscoveryType.Eds) {
      return snapshot.endpointsOf(cluster);
    }
    if (discovery instanceof ClusterConfig.DiscoveryType.Static s) {
      return Optional.of(s.endpoints());
    }
    if (discovery instanceof ClusterConfig.DiscoveryType.StrictDns d) {
      return Optional.of(d.endpoints());
    }
    if (discovery instanceof ClusterConfig.DiscoveryType.LogicalDns d) {
      return Optional.of(d.endpoints());
    }
    return Optional.empty();
  }

  private static List<ServiceInstance> instancesOf(String id, int port, ClusterConfig cluster,
      Optional<EndpointsConfig> endpoints) {
    List<ServiceInstance> instances = new ArrayList<>();
    if (endpoints.isEmpty()) {
      return instances;
    }
    for (LocalityEndpoints locality : endpoints.get().localities()) {
      for (LbEndpoint endpoint : locality.endpoints()) {
        if (endpoint.health() == HealthStatus.UNHEALTHY || endpoint.health() == HealthStatus.DRAINING
            || endpoint.health() == HealthStatus.TIMEOUT) {
          continue;
        }
        TlsContext.@Nullable Upstream tls = cluster.tlsFor(endpoint.metadata()).orElse(null);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("mesh.cluster", cluster.name());
        metadata.put("mesh.service-port", String.valueOf(port));
        metadata.put("mesh.health", endpoint.health().name());
        metadata.put("mesh.weight", String.valueOf(endpoint.weight()));
        metadata.put("mesh.tls", tls == null ? "none" : tls.common().certificate().isPresent() ? "mutual" : "simple");
        putIfNotEmpty(metadata, "mesh.locality.region", locality.locality().region());
        putIfNotEmpty(metadata, "mesh.locality.zone", locality.locality().zone());
        putIfNotEmpty(metadata, "mesh.locality.sub-zone", locality.locality().subZone());
        putIfNotEmpty(metadata, "mesh.hostname", endpoint.hostname());
        endpoint.metadata().filterMetadata().forEach((filter, fields) -> fields.forEach((key, value) -> {
          if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            metadata.put(filter + "." + key, scalar(value));
          }
        }));
        String host = endpoint.address().host();
        int endpointPort = endpoint.address().port();
        instances.add(new DefaultServiceInstance(host + ":" + endpointPort, id, host, endpointPort, tls != null,
            metadata));
      }
    }
    return List.copyOf(instances);
  }

  private static String scalar(Object value) {
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(value);
  }

  private static void putIfNotEmpty(Map<String, String> metadata, String key, String value) {
    if (!value.isEmpty()) {
      metadata.put(key, value);
    }
  }

  /** One snapshot's services: every accepted (lower-case) form to its id, and each id's instances. */
  private record View(long version, Map<String, String> ids, Map<String, List<ServiceInstance>> instances) {}
}
