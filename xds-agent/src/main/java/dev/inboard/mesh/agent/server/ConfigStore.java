package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.analyze.Analyzer;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.config.IstioYamlLoader.Document;
import dev.inboard.mesh.agent.config.IstioYamlLoader.LoadResult;
import dev.inboard.mesh.agent.server.ConfigUpdate.Action;
import dev.inboard.mesh.agent.server.ConfigUpdate.Change;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration being served. Every change (apply, delete, a reload of the config directory) is checked with
 * the {@link Analyzer}: each document on its own, then the resulting set as a whole (cross-resource checks such as
 * subsets no DestinationRule defines see what is served plus the change); a change with any problem is refused
 * whole and the last good configuration keeps serving. Mutated only on the control loop; read from anywhere.
 *
 * <p>The config directory and the API are two writers of one set, as files and {@code kubectl apply} are for a
 * cluster: a reload applies what changed in the directory since its last good load (and deletes what was removed
 * from it), leaving resources applied through the API alone.
 */
final class ConfigStore {
  private final Runnable onChange;
  private volatile ConfigSet current = ConfigSet.EMPTY;
  /** The document each served resource was read from, so cross-resource checks see the whole set as written. */
  private Map<String, Document> documents = Map.of();
  private Map<String, ConfigResource<?>> directoryContent = Map.of();

  ConfigStore(Runnable onChange) {
    this.onChange = onChange;
  }

  ConfigSet current() {
    return current;
  }

  /** Adds or replaces the resources of {@code inputs}. */
  ConfigUpdate apply(List<YamlSource> inputs) {
    LoadResult loaded = load(inputs);
    List<ConfigProblem> problems = Analyzer.analyzeEach(loaded);
    if (!problems.isEmpty()) {
      return ConfigUpdate.refused(problems, loaded.notes());
    }
    Map<String, ConfigResource<?>> incoming = byKey(loaded.resources());
    List<Change> changes = new ArrayList<>();
    List<ConfigResource<?>> replacing = new ArrayList<>();
    for (ConfigResource<?> r : incoming.values()) {
      Action action = actionFor(r);
      changes.add(new Change(r.displayName(), action));
      if (action != Action.UNCHANGED) {
        replacing.add(r);
      }
    }
    return commit(current.withApplied(replacing), changes, List.of(), loaded.notes(), loaded.documents());
  }

  /** Removes the resources named (by kind, namespace and name) in {@code inputs}. */
  ConfigUpdate delete(List<YamlSource> inputs) {
    LoadResult loaded = load(inputs);
    if (!loaded.problems().isEmpty()) {
      return ConfigUpdate.refused(loaded.problems(), loaded.notes());
    }
    Set<String> keys = new LinkedHashSet<>();
    List<Change> changes = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (ConfigResource<?> r : byKey(loaded.resources()).values()) {
      if (current.get(r.key()).isPresent()) {
        keys.add(r.key());
        changes.add(new Change(r.displayName(), Action.DELETED));
      } else {
        notFound.add(r.displayName());
      }
    }
    return commit(current.withDeleted(keys), changes, notFound, loaded.notes(), List.of());
  }

  /** Loads {@code dir} and applies what changed in it since its last good load. */
  ConfigUpdate loadDirectory(Path dir) {
    LoadResult loaded = IstioYamlLoader.load(List.of(dir));
    List<ConfigProblem> problems = Analyzer.analyzeEach(loaded);
    if (!problems.isEmpty()) {
      return ConfigUpdate.refused(problems, loaded.notes());
    }
    Map<String, ConfigResource<?>> fresh = byKey(loaded.resources());
    List<Change> changes = new ArrayList<>();
    Set<String> removed = new LinkedHashSet<>();
    for (Map.Entry<String, ConfigResource<?>> old : directoryContent.entrySet()) {
      if (!fresh.containsKey(old.getKey()) && current.get(old.getKey()).isPresent()) {
        removed.add(old.getKey());
        changes.add(new Change(old.getValue().displayName(), Action.DELETED));
      }
    }
    List<ConfigResource<?>> replacing = new ArrayList<>();
    for (ConfigResource<?> r : fresh.values()) {
      ConfigResource<?> before = directoryContent.get(r.key());
      if (before == null || !sameContent(before, r)) {
        Action action = actionFor(r);
        changes.add(new Change(r.displayName(), action));
        if (action != Action.UNCHANGED) {
          replacing.add(r);
        }
      }
    }
    ConfigUpdate update = commit(current.withDeleted(removed).withApplied(replacing), changes, List.of(),
        loaded.notes(), loaded.documents());
    if (update.accepted()) {
      directoryContent = fresh;
    }
    return update;
  }

  private ConfigUpdate commit(ConfigSet next, List<Change> changes, List<String> notFound, List<String> notes,
      List<Document> incoming) {
    if (next.equals(current)) {
      return ConfigUpdate.accepted(changes, notFound, notes);
    }
    Map<String, Document> incomingByKey = new LinkedHashMap<>();
    incoming.forEach(d -> incomingByKey.put(d.kind().kind() + "/" + d.namespace() + "/" + d.name(), d));
    Map<String, Document> nextDocuments = new LinkedHashMap<>();
    for (ConfigResource<?> r : next.all()) {
      Document d = incomingByKey.get(r.key());
      if (d == null || !d.source().equals(r.source())) {
        d = documents.get(r.key());
      }
      if (d != null) {
        nextDocuments.put(r.key(), d);
      }
    }
    List<ConfigProblem> problems = Analyzer.analyze(
        new LoadResult(next.all(), List.of(), List.of(), List.copyOf(nextDocuments.values())));
    if (!problems.isEmpty()) {
      return ConfigUpdate.refused(problems, notes);
    }
    current = next;
    documents = nextDocuments;
    onChange.run();
    return ConfigUpdate.accepted(changes, notFound, notes);
  }

  private Action actionFor(ConfigResource<?> r) {
    return current.get(r.key())
        .map(existing -> sameContent(existing, r) ? Action.UNCHANGED : Action.CONFIGURED)
        .orElse(Action.CREATED);
  }

  /** Equal in everything that is served; where a resource was read from does not matter. */
  private static boolean sameContent(ConfigResource<?> a, ConfigResource<?> b) {
    return a.kind() == b.kind() && a.namespace().equals(b.namespace()) && a.name().equals(b.name())
        && a.labels().equals(b.labels()) && a.annotations().equals(b.annotations())
        && Objects.equals(a.spec(), b.spec());
  }

  private static LoadResult load(List<YamlSource> inputs) {
    List<ConfigResource<?>> resources = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    for (YamlSource input : inputs) {
      LoadResult one = IstioYamlLoader.loadString(input.yaml(), input.source());
      resources.addAll(one.resources());
      problems.addAll(one.problems());
      notes.addAll(one.notes());
      documents.addAll(one.documents());
    }
    return new LoadResult(resources, problems, notes, documents);
  }

  private static Map<String, ConfigResource<?>> byKey(List<ConfigResource<?>> resources) {
    Map<String, ConfigResource<?>> out = new LinkedHashMap<>();
    resources.forEach(r -> out.put(r.key(), r));
    return out;
  }
}
