package dev.inboard.mesh.agent.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.config.IstioYamlLoader.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks loaded Istio configuration the way {@code istioctl analyze} does; an empty result means it is valid and may
 * be served. Used by {@code meshctl analyze}, and by {@code apply} and {@code serve} to refuse bad input whole.
 *
 * <p>Three layers, each problem naming file, {@code Kind namespace/name}, field path and value:
 * <ol>
 *   <li>what could not be read at all (the loader's problems);</li>
 *   <li>each document against the schema of its kind and version in Istio's CRDs, CEL rules included, as the
 *       Kubernetes API server validates it, with unknown fields rejected as {@code istioctl} rejects them;</li>
 *   <li>what istiod's validating webhook rejects beyond the schema (regexes, durations, weights, hosts, ...), then
 *       the cross-resource checks of {@code istioctl analyze} (subsets no DestinationRule defines, VirtualServices
 *       competing for one host, missing delegates) over the resources as they would be served.</li>
 * </ol>
 * A field already reported is not reported again by a later layer; a document whose spec the schema rejects does
 * not also get the loader's "cannot read spec" problem.
 */
public final class Analyzer {
  private static final CelRules RULES = new CelRules();

  private Analyzer() {}

  /** Every problem of a load: what could not be read, then what is wrong in what was read. */
  public static List<ConfigProblem> analyze(IstioYamlLoader.LoadResult loaded) {
    return analyze(loaded, true);
  }

  /**
   * The problems of each document on its own (schema, per-resource rules), without the cross-resource checks: for
   * a change that will be checked again together with what is already served.
   */
  public static List<ConfigProblem> analyzeEach(IstioYamlLoader.LoadResult loaded) {
    return analyze(loaded, false);
  }

  private static List<ConfigProblem> analyze(IstioYamlLoader.LoadResult loaded, boolean acrossResources) {
    SchemaValidator schemas = new SchemaValidator(RULES);
    Map<String, ConfigResource<?>> resources = new HashMap<>();
    loaded.resources().forEach(r -> resources.put(pairKey(r), r));
    Map<Document, List<FieldProblem>> byDocument = new LinkedHashMap<>();
    Set<String> schemaRejected = new HashSet<>();
    for (Document document : loaded.documents()) {
      List<FieldProblem> found = new ArrayList<>();
      Optional<JsonNode> schema = CrdSchemas.bundled()
          .schema(document.kind().group(), document.kind().kind(), document.version());
      schema.ifPresent(s -> found.addAll(schemas.validateDocument(s, document.json())));
      ConfigResource<?> resource = resources.get(pairKey(document));
      if (!found.isEmpty()) {
        schemaRejected.add(key(document.source().toString(), document.displayName()));
      } else if (resource != null && document.json().path("spec").isObject()) {
        Findings unsupported = new Findings();
        ModelCoverage.check(document.json().path("spec"), resource.spec(), unsupported);
        found.addAll(unsupported.problems());
      }
      addNew(found, ResourceChecks.check(document));
      byDocument.put(document, found);
    }
    if (acrossResources) {
      for (MeshChecks.Located located : MeshChecks.check(served(loaded))) {
        addNew(byDocument.get(located.document()), List.of(located.problem()));
      }
    }

    List<ConfigProblem> problems = new ArrayList<>();
    for (ConfigProblem problem : loaded.problems()) {
      boolean specUnreadable = problem.field().startsWith("spec");
      if (!(specUnreadable && schemaRejected.contains(key(problem.file(), problem.resource())))) {
        problems.add(problem);
      }
    }
    byDocument.forEach((document, found) -> {
      for (FieldProblem problem : found) {
        problems.add(new ConfigProblem(document.source().toString(), document.displayName(), problem.field(),
            problem.value(), problem.message()));
      }
    });
    return List.copyOf(problems);
  }

  /** The documents behind the loaded resources, one per kind/namespace/name (a later one replaces an earlier). */
  private static List<Document> served(IstioYamlLoader.LoadResult loaded) {
    Set<String> read = new HashSet<>();
    loaded.resources().forEach(r -> read.add(pairKey(r)));
    Map<String, Document> byKey = new LinkedHashMap<>();
    for (Document document : loaded.documents()) {
      if (read.contains(pairKey(document))) {
        byKey.remove(document.displayName());
        byKey.put(document.displayName(), document);
      }
    }
    return List.copyOf(byKey.values());
  }

  /**
   * Pairs a document with the resource read from it: by where it was read and what it names, since two batches
   * applied under one source name (such as standard input) have documents at the same place.
   */
  private static String pairKey(ConfigResource<?> r) {
    return r.source() + "#" + r.key();
  }

  private static String pairKey(Document d) {
    return d.source() + "#" + d.kind().kind() + "/" + d.namespace() + "/" + d.name();
  }

  /** Adds the problems whose field is not reported yet. */
  private static void addNew(List<FieldProblem> into, List<FieldProblem> more) {
    Set<String> fields = new HashSet<>();
    into.forEach(p -> fields.add(p.field()));
    for (FieldProblem problem : more) {
      if (!fields.contains(problem.field())) {
        into.add(problem);
      }
    }
  }

  private static String key(String file, String resource) {
    return file + "\u0000" + resource;
  }
}
