package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Host groups to virtual hosts the way istiod names and de-duplicates them: one per VirtualService host the registry
 * does not know, then one per service; a second virtual host of the same name is dropped, a domain already taken by
 * an earlier virtual host is dropped from a later one, and so is a short name that is some other service's FQDN.
 */
final class VirtualHostAssembly {
  private VirtualHostAssembly() {}

  static List<VirtualHost> assemble(List<RouteConfigGenerator.HostGroup> groups, int port, ProxyView proxy,
      MeshSettings mesh) {
    Set<String> knownFqdns = new HashSet<>();
    for (RouteConfigGenerator.HostGroup group : groups) {
      for (MeshService service : group.services()) {
        knownFqdns.add(IstioHosts.hostPort(service.hostname(), port));
        knownFqdns.add(service.hostname());
      }
    }
    Set<String> names = new HashSet<>();
    Set<String> takenDomains = new HashSet<>();
    List<VirtualHost> out = new ArrayList<>();
    for (RouteConfigGenerator.HostGroup group : groups) {
      if (group.routes().isEmpty()) {
        continue;
      }
      for (String host : group.otherHosts()) {
        String name = IstioHosts.hostPort(host, port);
        if (names.add(name)) {
          add(out, name, dedupe(VirtualHostDomains.ofHost(host, port, proxy), List.of(), takenDomains, knownFqdns),
              group);
        }
      }
      for (MeshService service : group.services()) {
        String name = IstioHosts.hostPort(service.hostname(), port);
        if (names.add(name)) {
          VirtualHostDomains d = VirtualHostDomains.of(service, port, proxy, mesh);
          add(out, name, dedupe(d.domains(), d.altHosts(), takenDomains, knownFqdns), group);
        }
      }
    }
    out.sort(Comparator.comparing(VirtualHost::getName));
    return out;
  }

  private static void add(List<VirtualHost> out, String name, List<String> domains,
      RouteConfigGenerator.HostGroup group) {
    if (domains.isEmpty()) {
      return;
    }
    out.add(VirtualHost.newBuilder()
        .setName(name)
        .addAllDomains(domains)
        .addAllRoutes(group.routes())
        .setIncludeRequestAttemptCount(true)
        .build());
  }

  private static List<String> dedupe(List<String> domains, List<String> altHosts, Set<String> taken,
      Set<String> knownFqdns) {
    List<String> out = new ArrayList<>();
    for (String domain : domains) {
      String key = domain.toLowerCase(Locale.ROOT);
      if (taken.contains(key) || (altHosts.contains(domain) && knownFqdns.contains(domain))) {
        continue;
      }
      out.add(domain);
      taken.add(key);
    }
    return out;
  }
}
