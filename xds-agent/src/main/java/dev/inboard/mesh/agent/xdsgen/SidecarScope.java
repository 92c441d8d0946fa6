package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.fabric8.istio.api.api.networking.v1alpha3.IstioEgressListener;
import io.fabric8.istio.api.api.networking.v1alpha3.Sidecar;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a sidecar-shaped proxy sees, as istiod's SidecarScope computes it: the Sidecar resource that applies to it
 * and the services it may reach. Without a Sidecar every service exported to the proxy's namespace is visible;
 * with one, only those its {@code egress[].hosts} import ({@code namespace/dnsName}, where the namespace is a
 * name, {@code *}, {@code .} or {@code ~}) plus the destinations of VirtualServices it imports.
 */
public final class SidecarScope {
  private static final String SIDECAR_PORT_HTTP_PROXY = "HTTP_PROXY";

  private final String namespace;
  private final Optional<ConfigResource<Sidecar>> sidecar;
  private final List<MeshService> services;

  private SidecarScope(String namespace, Optional<ConfigResource<Sidecar>> sidecar, List<MeshService> services) {
    this.namespace = namespace;
    this.sidecar = sidecar;
    this.services = List.copyOf(services);
  }

  public static SidecarScope of(ProxyView proxy, PushContext push) {
    Optional<ConfigResource<Sidecar>> sidecar = Sidecars.select(proxy, push);
    List<IstioEgressListener> egress = sidecar.map(s -> s.spec().getEgress()).filter(l -> l != null && !l.isEmpty())
        .orElseGet(() -> {
          IstioEgressListener all = new IstioEgressListener();
          all.setHosts(List.of("*/*"));
          return List.of(all);
        });
    String configNamespace = proxy.namespace();
    List<MeshService> exported = push.registry().services().stream()
        .filter(s -> IstioHosts.exportedTo(s.exportTo(), s.namespace(), configNamespace))
        .sorted(Comparator.comparing(MeshService::hostname).thenComparing(MeshService::namespace))
        .toList();
    ServiceSet collected = new ServiceSet();
    for (IstioEgressListener listener : egress) {
      Imports imports = Imports.of(listener, configNamespace);
      for (MeshService s : imports.select(exported, configNamespace)) {
        collected.add(s);
      }
      for (MeshService s : VirtualServiceDestinations.services(listener, imports, exported, push, configNamespace)) {
        collected.add(s);
      }
    }
    return new SidecarScope(configNamespace, sidecar, collected.services());
  }

  /** The services this proxy sees, each port it may reach (a port-bound egress listener narrows them). */
  public List<MeshService> services() {
    return services;
  }

  /** The visible service with this host name. */
  public Optional<MeshService> service(String hostname) {
    return services.stream().filter(s -> s.hostname().equals(hostname)).findFirst();
  }

  /** The Sidecar resource that applies to the proxy, if any. */
  public Optional<ConfigResource<Sidecar>> sidecar() {
    return sidecar;
  }

  /** The namespace the scope was computed for (the proxy's). */
  public String namespace() {
    return namespace;
  }

  static boolean isKubernetes(MeshService s) {
    return s.origin().startsWith("Service ");
  }

  static boolean needsPortMatch(IstioEgressListener listener) {
    return listener.getPort() != null && listener.getPort().getNumber() != null && listener.getPort().getNumber() != 0
        && !SIDECAR_PORT_HTTP_PROXY.equalsIgnoreCase(String.valueOf(listener.getPort().getProtocol()));
  }

  /** A service narrowed to one port, or empty when it does not have it. */
  static Optional<MeshService> withPort(MeshService s, int port) {
    Optional<ServicePort> p = s.port(port);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    if (s.ports().size() == 1) {
      return Optional.of(s);
    }
    return Optional.of(withPorts(s, List.of(p.get())));
  }

  static MeshService withPorts(MeshService s, List<ServicePort> ports) {
    return new MeshService(s.hostname(), s.namespace(), s.addresses(), ports, s.resolution(), s.external(),
        s.workloadSelector(), s.staticEndpoints(), s.exportTo(), s.origin());
  }

  /**
   * Services collected across egress listeners, one per host name: the first wins, except that a Kubernetes
   * Service replaces another registry's; ports of a same-namespace, same-kind service are merged.
   */
  private static final class ServiceSet {
    private final Map<String, MeshService> byHost = new LinkedHashMap<>();

    void add(MeshService s) {
      MeshService existing = byHost.get(s.hostname());
      if (existing == null || existing.equals(s)) {
        byHost.putIfAbsent(s.hostname(), s);
        return;
      }
      if (isKubernetes(existing) && !isKubernetes(s)) {
        return;
      }
      if (!isKubernetes(existing) && isKubernetes(s)) {
        byHost.put(s.hostname(), s);
        return;
      }
      if (!existing.namespace().equals(s.namespace()) || existing.resolution() != s.resolution()
          || !existing.origin().equals(s.origin())) {
        return;
      }
      List<ServicePort> merged = new ArrayList<>(existing.ports());
      for (ServicePort p : s.ports()) {
        if (existing.port(p.port()).isEmpty()) {
          merged.add(p);
        }
      }
      byHost.put(s.hostname(), withPorts(existing, merged));
    }

    List<MeshService> services() {
      return List.copyOf(byHost.values());
    }
  }
}
