package dev.inboard.mesh.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads Istio YAML as users write it for Kubernetes: files or directories of multi-document YAML, Istio kinds in
 * any served API version, plus Kubernetes {@code Service}s (the service registry on one machine). Other Kubernetes
 * kinds (Deployment, ServiceAccount, ...) in the same files are skipped; Istio kinds
 * that mean nothing to a proxyless workload (Gateway, EnvoyFilter, ...) are skipped with a note.
 */
public final class IstioYamlLoader {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * What a load produced: the resources that read cleanly, the problems, notes on what was skipped, and the
   * documents of applied kinds as written (for validation against Istio's schemas, which needs fields the spec
   * model may not carry), including those whose spec could not be read.
   */
  public record LoadResult(List<ConfigResource<?>> resources, List<ConfigProblem> problems, List<String> notes,
      List<Document> documents) {
    public LoadResult {
      resources = List.copyOf(resources);
      problems = List.copyOf(problems);
      notes = List.copyOf(notes);
      documents = List.copyOf(documents);
    }


    public boolean ok() {
      return problems.isEmpty();
    }

    public ConfigSet toConfigSet() {
      return ConfigSet.of(resources);
    }
  }

  /**
   * One YAML document of an applied kind, as written.
   *
   * @param source where it was read
   * @param kind its kind
   * @param apiVersion {@code group/version} as written
   * @param namespace {@code metadata.namespace}, {@code default} when absent
   * @param name {@code metadata.name}
   * @param json the whole document (apiVersion, kind, metadata, spec, ...); a private copy, not to be modified
   */
  public record Document(ConfigResource.Source source, ConfigKind kind, String apiVersion, String namespace,
      String name, JsonNode json) {
    public Document {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(apiVersion, "apiVersion");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      json = json.deepCopy();
    }

    /** The version part of {@link #apiVersion()}. */
    public String version() {
      return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    /** {@code Kind namespace/name}, as problems name a resource. */
    public String displayName() {
      return kind.kind() + " " + namespace + "/" + name;
    }
  }

  private IstioYamlLoader() {}

  /** Loads files and directories (recursively: {@code *.yaml}, {@code *.yml}, in name order). */
  public static LoadResult load(List<Path> paths) {
    List<ConfigResource<?>> resources = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : yamlFiles(path, problems)) {
        String text;
        try {
          text = Files.readString(file);
        } catch (IOException e) {
          problems.add(new ConfigProblem(file.toString(), "", "", "", "cannot read file: " + e.getMessage()));
          continue;
        }
        LoadResult one = loadString(text, file.toString());
        resources.addAll(one.resources());
        problems.addAll(one.problems());
        notes.addAll(one.notes());
        documents.addAll(one.documents());
      }
    }
    return new LoadResult(resources, problems, notes, documents);
  }

  /** Loads YAML text; {@code source} names it in problems (a file path, or {@code -} for standard input). */
  public static LoadResult loadString(String yaml, String source) {
    return loadString(yaml, source, "default");
  }

  /** Loads YAML text; documents without {@code metadata.namespace} go to {@code defaultNamespace}. */
  public static LoadResult loadString(String yaml, String source, String defaultNamespace) {
    List<ConfigResource<?>> resources = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Document> documents = new ArrayList<>();
    int index = 0;
    try (JsonParser parser = new YAMLFactory().createParser(yaml);
         MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        ConfigResource.Source where = new ConfigResource.Source(source, index++);
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        readDocument(doc, where, defaultNamespace, resources, problems, notes, documents);
      }
    } catch (JsonProcessingException e) {
      problems.add(new ConfigProblem(new ConfigResource.Source(source, index).toString(), "", "", "",
          "invalid YAML at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
              + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LoadResult(resources, problems, notes, documents);
  }

  private static void readDocument(JsonNode doc, ConfigResource.Source where, String defaultNamespace,
      List<ConfigResource<?>> resources,
      List<ConfigProblem> problems, List<String> notes, List<Document> documents) {
    if (!doc.isObject()) {
      problems.add(new ConfigProblem(where.toString(), "", "", "", "document is not a Kubernetes object"));
      return;
    }
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    String name = doc.path("metadata").path("name").asText("");
    String namespace = doc.path("metadata").path("namespace").asText(defaultNamespace);
    String display = kind + " " + namespace + "/" + name;
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      problems.add(new ConfigProblem(where.toString(), "", apiVersion.isEmpty() ? "apiVersion" : "kind", "",
          "missing; every document needs apiVersion and kind"));
      return;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    if (!group.endsWith("istio.io") && !(group.isEmpty() && kind.equals("Service"))) {
      notes.add(where + ": skipped " + kind + " " + namespace + "/" + name + " (not an Istio kind)");
      return;
    }
    var configKind = ConfigKind.of(group, kind);
    if (configKind.isEmpty()) {
      if (ConfigKind.NOT_APPLIED.contains(kind)) {
        notes.add(where + ": skipped " + display + " (" + kind + " does not apply to proxyless workloads)");
      } else {
        problems.add(new ConfigProblem(where.toString(), display, "kind", kind,
            "unknown kind for " + group + "; known: " + java.util.Arrays.stream(ConfigKind.values())
                .filter(known -> known.group().equals(group)).toList()));
      }
      return;
    }
    ConfigKind k = configKind.get();
    if (!k.versions().contains(version)) {
      problems.add(new ConfigProblem(where.toString(), display, "apiVersion", apiVersion,
          "unsupported version of " + kind + "; use one of " + k.versions().stream().sorted()
              .map(v -> group + "/" + v).toList()));
      return;
    }
    if (name.isEmpty()) {
      problems.add(new ConfigProblem(where.toString(), display, "metadata.name", "", "missing"));
      return;
    }
    if (k != ConfigKind.KUBERNETES_SERVICE) {
      documents.add(new Document(where, k, apiVersion, namespace, name, doc));
    }
    Object spec;
    try {
      JsonNode specNode = doc.path("spec");
      spec = YAML.treeToValue(specNode.isMissingNode() || specNode.isNull()
          ? YAML.createObjectNode() : specNode, k.specClass());
    } catch (JsonMappingException e) {
      problems.add(new ConfigProblem(where.toString(), display, "spec" + path(e), "", e.getOriginalMessage()));
      return;
    } catch (JsonProcessingException e) {
      problems.add(new ConfigProblem(where.toString(), display, "spec", "", e.getOriginalMessage()));
      return;
    }
    resources.add(new ConfigResource<>(k, apiVersion, namespace, name, strings(doc.path("metadata").path("labels")),
        strings(doc.path("metadata").path("annotations")), spec, where));
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static List<Path> yamlFiles(Path path, List<ConfigProblem> problems) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      problems.add(new ConfigProblem(path.toString(), "", "", "", "no such file or directory"));
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(new ConfigProblem(path.toString(), "", "", "", "cannot list directory: " + e.getMessage()));
      return List.of();
    }
  }
}
