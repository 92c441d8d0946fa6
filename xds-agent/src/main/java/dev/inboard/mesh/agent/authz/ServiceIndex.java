package dev.inboard.mesh.agent.authz;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The services the mesh knows, as hostname to the namespaces that define it, for resolving an extension provider's
 * {@code service} to the cluster {@code outbound|<port>||<hostname>}.
 */
public record ServiceIndex(Map<String, Set<String>> namespacesByHostname) {
  public ServiceIndex {
    Map<String, Set<String>> copy = new HashMap<>();
    namespacesByHostname.forEach((host, namespaces) -> copy.put(host, Set.copyOf(namespaces)));
    namespacesByHostname = Map.copyOf(copy);
  }

  public static ServiceIndex empty() {
    return new ServiceIndex(Map.of());
  }

  /** This index plus {@code hostname} defined in {@code namespace}. */
  public ServiceIndex with(String hostname, String namespace) {
    Map<String, Set<String>> copy = new HashMap<>(namespacesByHostname);
    Set<String> namespaces = new HashSet<>(copy.getOrDefault(hostname, Set.of()));
    namespaces.add(namespace);
    copy.put(hostname, namespaces);
    return new ServiceIndex(copy);
  }

  /** The namespaces defining {@code hostname}, sorted; empty when unknown. */
  public Set<String> namespacesOf(String hostname) {
    return new TreeSet<>(namespacesByHostname.getOrDefault(hostname, Set.of()));
  }
}
