package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * istiod's index of DestinationRules for one push: per namespace the rules visible inside it, the rules it
 * exports, and the root namespace's private rules; rules for the same host merged (subsets concatenated, the
 * first top-level policy kept) unless workload selectors or exportTo keep them apart.
 */
final class DestinationRuleIndex {
  /** One rule as istiod holds it after merging: the (possibly merged) spec, its exportTo, the rules it came from. */
  record Consolidated(ConfigResource<DestinationRule> rule, Set<String> exportTo, List<String> from) {
    Consolidated {
      exportTo = Set.copyOf(exportTo);
      from = List.copyOf(from);
    }

    boolean hasSelector() {
      return selector(rule.spec()).isPresent();
    }
  }

  private final Map<String, Map<String, List<Consolidated>>> namespaceLocal = new HashMap<>();
  private final Map<String, Map<String, List<Consolidated>>> exported = new HashMap<>();
  private final Map<String, List<Consolidated>> rootLocal = new LinkedHashMap<>();
  private final String rootNamespace;

  private DestinationRuleIndex(String rootNamespace) {
    this.rootNamespace = rootNamespace;
  }

  static DestinationRuleIndex of(PushContext push) {
    DestinationRuleIndex index = new DestinationRuleIndex(push.mesh().rootNamespace());
    List<ConfigResource<DestinationRule>> rules = new ArrayList<>(push.config().destinationRules());
    rules.sort(Comparator.comparing((ConfigResource<DestinationRule> r) -> selector(r.spec()).isEmpty())
        .thenComparing(ConfigResource::name).thenComparing(ConfigResource::namespace));
    for (ConfigResource<DestinationRule> r : rules) {
      String host = IstioHosts.resolve(orEmpty(r.spec().getHost()), r.namespace(), push.mesh().domainSuffix());
      Set<String> exportTo = new LinkedHashSet<>(r.spec().getExportTo() == null ? List.of() : r.spec().getExportTo());
      if (exportTo.isEmpty() || exportTo.contains("*") || exportTo.contains(".") || exportTo.contains(r.namespace())) {
        merge(index.namespaceLocal.computeIfAbsent(r.namespace(), k -> new LinkedHashMap<>()), host, r, exportTo);
      }
      boolean privateOnly = exportTo.size() == 1 && (exportTo.contains(".") || exportTo.contains(r.namespace()));
      if (!privateOnly) {
        merge(index.exported.computeIfAbsent(r.namespace(), k -> new LinkedHashMap<>()), host, r, exportTo);
      } else if (r.namespace().equals(index.rootNamespace)) {
        merge(index.rootLocal, host, r, exportTo);
      }
    }
    return index;
  }

  /**
   * The rules for {@code service} as seen from {@code proxyNamespace}: the proxy's namespace first (the root
   * namespace's private rules for a proxy in the root namespace), then those the service's namespace exports to
   * the proxy, then those the root namespace exports. Each level picks the most specific host match.
   */
  List<Consolidated> lookup(String proxyNamespace, MeshService service) {
    String hostname = service.hostname();
    if (!proxyNamespace.equals(rootNamespace)) {
      Optional<List<Consolidated>> local = match(namespaceLocal.get(proxyNamespace), hostname);
      if (local.isPresent()) {
        return local.get();
      }
    } else {
      Optional<List<Consolidated>> local = match(rootLocal, hostname);
      if (local.isPresent()) {
        return local.get();
      }
    }
    List<Consolidated> fromService = exportedFrom(service.namespace(), hostname, proxyNamespace);
    if (!fromService.isEmpty()) {
      return fromService;
    }
    return exportedFrom(rootNamespace, hostname, proxyNamespace);
  }

  private List<Consolidated> exportedFrom(String owner, String hostname, String client) {
    return match(exported.get(owner), hostname).map(list -> list.stream()
            .filter(c -> c.exportTo().isEmpty() || c.exportTo().contains("*") || c.exportTo().contains(client))
            .toList())
        .orElse(List.of());
  }

  private static Optional<List<Consolidated>> match(Map<String, List<Consolidated>> byHost, String hostname) {
    if (byHost == null) {
      return Optional.empty();
    }
    return IstioHosts.mostSpecificMatch(hostname, byHost.keySet()).map(byHost::get);
  }

  /** istiod's merge of a rule into those already held for its host. */
  private static void merge(Map<String, List<Consolidated>> byHost, String host, ConfigResource<DestinationRule> r,
      Set<String> exportTo) {
    List<Consolidated> existing = byHost.get(host);
    if (existing == null) {
      byHost.put(host, new ArrayList<>(List.of(new Consolidated(r, exportTo, List.of(key(r))))));
      return;
    }
    boolean appendSeparately = true;
    Optional<Map<String, String>> incomingSelector = selector(r.spec());
    for (int i = 0; i < existing.size(); i++) {
      Consolidated held = existing.get(i);
      Optional<Map<String, String>> heldSelector = selector(held.rule().spec());
      boolean bothWithout = incomingSelector.isEmpty() && heldSelector.isEmpty();
      boolean bothWith = incomingSelector.isPresent() && heldSelector.isPresent();
      boolean selectorsMatch = bothWith && incomingSelector.get().equals(heldSelector.get());
      if (exportTo.equals(held.exportTo())) {
        appendSeparately = !(bothWithout || selectorsMatch);
      } else if (!held.exportTo().isEmpty() && exportTo.containsAll(held.exportTo())) {
        appendSeparately = true;
      } else {
        appendSeparately = true;
        continue;
      }
      if (bothWith && !selectorsMatch) {
        appendSeparately = true;
        continue;
      }
      if (bothWithout || selectorsMatch) {
        appendSeparately = false;
      }
      existing.set(i, mergeInto(held, r));
    }
    if (appendSeparately) {
      existing.add(new Consolidated(r, exportTo, List.of(key(r))));
    }
  }

  /** Subsets of {@code incoming} not yet present are appended; its top-level policy fills a missing one. */
  private static Consolidated mergeInto(Consolidated held, ConfigResource<DestinationRule> incoming) {
    DestinationRule merged = held.rule().spec().toBuilder().build();
    List<Subset> subsets = new ArrayList<>(merged.getSubsets() == null ? List.of() : merged.getSubsets());
    Set<String> names = new LinkedHashSet<>();
    subsets.forEach(s -> names.add(s.getName()));
    for (Subset s : incoming.spec().getSubsets() == null ? List.<Subset>of() : incoming.spec().getSubsets()) {
      if (names.add(s.getName())) {
        subsets.add(s);
      }
    }
    merged.setSubsets(subsets);
    if (merged.getTrafficPolicy() == null && incoming.spec().getTrafficPolicy() != null) {
      merged.setTrafficPolicy(incoming.spec().getTrafficPolicy());
    }
    ConfigResource<DestinationRule> r = held.rule();
    List<String> from = new ArrayList<>(held.from());
    from.add(key(incoming));
    return new Consolidated(new ConfigResource<>(r.kind(), r.apiVersion(), r.namespace(), r.name(), r.labels(),
        r.annotations(), merged, r.source()), held.exportTo(), from);
  }

  static Optional<Map<String, String>> selector(DestinationRule dr) {
    if (dr.getWorkloadSelector() == null || dr.getWorkloadSelector().getMatchLabels() == null) {
      return Optional.empty();
    }
    return Optional.of(dr.getWorkloadSelector().getMatchLabels());
  }

  private static String key(ConfigResource<?> r) {
    return r.namespace() + "/" + r.name();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
