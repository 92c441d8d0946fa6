package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.nonEmpty;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.config.ConfigKind;
import dev.inboard.mesh.agent.config.IstioYamlLoader.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Checks across resources, as {@code istioctl analyze}'s analyzers make them: routes to subsets no DestinationRule
 * defines for the host (IST0101), VirtualServices competing for one host on the mesh (IST0109), delegates that do
 * not exist.
 */
final class MeshChecks {
  static final String DOMAIN_SUFFIX = "cluster.local";

  /** A problem of one resource found by a cross-resource check. */
  record Located(Document document, FieldProblem problem) {}

  private final List<Document> virtualServices = new ArrayList<>();
  private final List<Document> destinationRules = new ArrayList<>();
  private final List<Located> out = new ArrayList<>();

  private MeshChecks(Collection<Document> documents) {
    for (Document d : documents) {
      if (d.kind() == ConfigKind.VIRTUAL_SERVICE) {
        virtualServices.add(d);
      } else if (d.kind() == ConfigKind.DESTINATION_RULE) {
        destinationRules.add(d);
      }
    }
  }

  /** Problems of {@code documents}, the resources as they would be served (one per kind, namespace and name). */
  static List<Located> check(Collection<Document> documents) {
    MeshChecks checks = new MeshChecks(documents);
    checks.subsets();
    checks.conflictingHosts();
    checks.delegates();
    return List.copyOf(checks.out);
  }

  /** {@code reviews} in namespace {@code default} is {@code reviews.default.svc.cluster.local}; FQDNs stay. */
  static String fqdn(String host, String namespace) {
    return host.contains(".") || host.equals("*") ? host : host + "." + namespace + ".svc." + DOMAIN_SUFFIX;
  }

  private void subsets() {
    Map<String, Set<String>> exact = new LinkedHashMap<>();
    for (Document dr : destinationRules) {
      JsonNode spec = dr.json().path("spec");
      String host = fqdn(text(spec, "host"), dr.namespace());
      Set<String> names = exact.computeIfAbsent(host, h -> new TreeSet<>());
      Findings.eachObject(spec, "subsets", "spec", (at, subset) -> names.add(text(subset, "name")));
    }
    for (Document vs : virtualServices) {
      destinations(vs.json().path("spec"), (path, destination) -> {
        String subset = text(destination, "subset");
        if (subset.isEmpty()) {
          return;
        }
        String host = fqdn(text(destination, "host"), vs.namespace());
        Set<String> defined = subsetsFor(host, exact);
        if (!defined.contains(subset)) {
          String known = defined.isEmpty() ? "" : "; its DestinationRule defines " + String.join(", ", defined);
          out.add(new Located(vs, new FieldProblem(path + ".subset", subset,
              "no DestinationRule defines subset " + subset + " for host " + host + known)));
        }
      });
    }
  }

  /** The subsets for a host: of DestinationRules for exactly that host, else of the most specific wildcard one. */
  private static Set<String> subsetsFor(String host, Map<String, Set<String>> byHost) {
    Set<String> exact = byHost.get(host);
    if (exact != null) {
      return exact;
    }
    String best = null;
    for (String candidate : byHost.keySet()) {
      if (candidate.startsWith("*") && host.endsWith(candidate.substring(1))
          && (best == null || candidate.length() > best.length())) {
        best = candidate;
      }
    }
    return best == null ? Set.of() : byHost.get(best);
  }

  /** Every destination a VirtualService routes or mirrors to, with its path. */
  private static void destinations(JsonNode spec, BiConsumer<String, JsonNode> each) {
    for (String protocol : List.of("http", "tcp", "tls")) {
      Findings.eachObject(spec, protocol, "spec", (at, route) -> {
        Findings.eachObject(route, "route", at, (routeAt, weighted) -> {
          if (weighted.path("destination").isObject()) {
            each.accept(routeAt + ".destination", weighted.path("destination"));
          }
        });
        if (route.path("mirror").isObject()) {
          each.accept(at + ".mirror", route.path("mirror"));
        }
        Findings.eachObject(route, "mirrors", at, (mirrorAt, mirror) -> {
          if (mirror.path("destination").isObject()) {
            each.accept(mirrorAt + ".destination", mirror.path("destination"));
          }
        });
      });
    }
  }

  private void conflictingHosts() {
    Map<String, List<Document>> byHost = new LinkedHashMap<>();
    Map<String, Map<Document, String>> fieldOf = new LinkedHashMap<>();
    for (Document vs : virtualServices) {
      JsonNode spec = vs.json().path("spec");
      if (VirtualServiceChecks.boundToGateway(spec) || !nonEmpty(spec, "http")) {
        continue;
      }
      Findings.eachText(spec, "hosts", "spec", (at, host) -> {
        String key = fqdn(host, vs.namespace());
        List<Document> owners = byHost.computeIfAbsent(key, k -> new ArrayList<>());
        if (!owners.contains(vs)) {
          owners.add(vs);
          fieldOf.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(vs, at);
        }
      });
    }
    byHost.forEach((host, owners) -> {
      for (Document vs : owners) {
        List<String> rivals = new ArrayList<>();
        for (Document other : owners) {
          if (other != vs && visibleTogether(vs, other)) {
            rivals.add(other.namespace() + "/" + other.name());
          }
        }
        if (!rivals.isEmpty()) {
          out.add(new Located(vs, new FieldProblem(fieldOf.get(host).get(vs), host,
              "VirtualServices " + vs.namespace() + "/" + vs.name() + " and " + String.join(", ", rivals)
                  + " both define http routes for host " + host + " on the mesh; only one of them would "
                  + "apply. Merge them into one VirtualService")));
        }
      }
    });
  }

  /**
   * Whether both VirtualServices are exported to the same scope: the same namespace, or both to every namespace
   * ({@code *}, the default). As in istioctl, a VirtualService exported to its own namespace only may override a
   * public one there.
   */
  private static boolean visibleTogether(Document a, Document b) {
    Set<String> both = new HashSet<>(scope(a));
    both.retainAll(scope(b));
    return !both.isEmpty();
  }

  private static Set<String> scope(Document vs) {
    JsonNode exportTo = vs.json().path("spec").path("exportTo");
    if (!exportTo.isArray() || exportTo.isEmpty()) {
      return Set.of("*");
    }
    Set<String> namespaces = new HashSet<>();
    for (JsonNode entry : exportTo) {
      namespaces.add(entry.asText().equals(".") ? vs.namespace() : entry.asText());
    }
    return namespaces;
  }

  private void delegates() {
    Map<String, Document> byName = new LinkedHashMap<>();
    virtualServices.forEach(vs -> byName.put(vs.namespace() + "/" + vs.name(), vs));
    for (Document vs : virtualServices) {
      Findings.eachObject(vs.json().path("spec"), "http", "spec", (at, route) -> {
        JsonNode delegate = route.path("delegate");
        if (!delegate.isObject()) {
          return;
        }
        String namespace = text(delegate, "namespace").isEmpty() ? vs.namespace() : text(delegate, "namespace");
        String key = namespace + "/" + text(delegate, "name");
        Document target = byName.get(key);
        if (target == null) {
          out.add(new Located(vs, new FieldProblem(at + ".delegate", key, "delegate VirtualService " + key
              + " not found")));
        } else if (nonEmpty(target.json().path("spec"), "hosts")) {
          out.add(new Located(vs, new FieldProblem(at + ".delegate", key, "VirtualService " + key
              + " has hosts, so it cannot be a delegate")));
        }
      });
    }
  }
}
