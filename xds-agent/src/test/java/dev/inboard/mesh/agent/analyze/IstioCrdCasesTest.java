package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.inboard.mesh.agent.config.ConfigKind;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's own CRD validation cases ({@code pkg/config/validation/testdata/crds}): every document of an
 * {@code *-invalid.yaml} file is rejected, every {@code *-valid.yaml} file is accepted, and files of kinds a
 * proxyless workload does not apply load as notes.
 */
class IstioCrdCasesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** A field path at the start of an expected Kubernetes error, e.g. {@code spec.jwtRules[0] in body ...}. */
  private static final Pattern ERROR_FIELD = Pattern.compile("^(spec(?:\\.[A-Za-z_]+|\\[\\d+])*)(?::| in body)");

  static Stream<String> invalidFiles() throws IOException {
    return files("-invalid.yaml", true);
  }

  static Stream<String> validFiles() throws IOException {
    return files("-valid.yaml", true);
  }

  static Stream<String> notAppliedFiles() throws IOException {
    return files(".yaml", false);
  }

  @ParameterizedTest
  @MethodSource("invalidFiles")
  void invalidFile_everyDocument_isRejected(String name) throws Exception {
    Path file = dir().resolve(name);
    List<ConfigProblem> problems = Analyzer.analyze(IstioYamlLoader.load(List.of(file)));

    List<String> accepted = new ArrayList<>();
    List<String> wrongField = new ArrayList<>();
    for (Map.Entry<Integer, JsonNode> doc : documents(file)) {
      String source = new ConfigResource.Source(file.toString(), doc.getKey()).toString();
      List<ConfigProblem> mine = problems.stream().filter(p -> p.file().equals(source)).toList();
      String label = "document " + (doc.getKey() + 1) + " (" + doc.getValue().path("metadata").path("name").asText()
          + ", expected: " + doc.getValue().path("_err").asText() + ")";
      if (mine.isEmpty()) {
        accepted.add(label);
        continue;
      }
      Matcher field = ERROR_FIELD.matcher(doc.getValue().path("_err").asText());
      if (field.find() && mine.stream().noneMatch(p -> p.field().startsWith(field.group(1)))) {
        wrongField.add(label + " got " + mine);
      }
    }
    assertThat(accepted).as("invalid documents accepted").isEmpty();
    assertThat(wrongField).as("invalid documents rejected for another field than Kubernetes names").isEmpty();
  }

  private static final String UNSUPPORTED = "valid Istio, but not supported by this agent (its Istio model does not "
      + "carry this field) and would be ignored; remove it";

  /**
   * Valid documents the analyzer still rejects, each for a stated reason: fields newer than the bundled CRDs or
   * than the fabric8 model the agent serves from, and one YAML construct SnakeYAML reads differently from go-yaml.
   */
  private static final Map<String, List<String>> KNOWN_DIVERGENCES = Map.of(
      // trustDomains/notTrustDomains are in the CRDs, not in fabric8 istio-model 7.5.2: they would be ignored.
      "authz-valid.yaml", List.of(
          "authz-valid.yaml: AuthorizationPolicy default/full: spec.rules[0].from[0].source.trustDomains: "
              + UNSUPPORTED + " (value: [\"cluster.local\",\"cluster-prefix-*\",\"*-suffix-cluster\",\"*\"])",
          "authz-valid.yaml: AuthorizationPolicy default/full: spec.rules[0].from[0].source.notTrustDomains: "
              + UNSUPPORTED + " (value: [\"not-cluster.local\",\"not-cluster-prefix-*\",\"*-not-suffix-cluster\","
              + "\"*\"])"),
      // http2KeepAlive is in the CRDs, not in fabric8 istio-model 7.5.2.
      "destinationrule-valid.yaml", List.of(
          "destinationrule-valid.yaml (document 4): DestinationRule default/bookinfo-ratings-http2-ping: "
              + "spec.trafficPolicy.connectionPool.http.http2KeepAlive: " + UNSUPPORTED
              + " (value: {\"interval\":\"15s\",\"timeout\":\"5s\"})"),
      // jwtRules[].presence is newer than the bundled CRDs (istio/api b8f8791d).
      "reqauth-valid.yaml", List.of(
          "reqauth-valid.yaml: RequestAuthentication default/full: spec.jwtRules[0].presence: unknown field "
              + "(value: REQUIRED)"),
      // `[1.2.3.4, 001:db8::]`: in a flow sequence, YAML 1.2 (SnakeYAML) reads `001:db8::` as a one-entry map;
      // go-yaml reads a string.
      "serviceentry-valid.yaml", List.of(
          "serviceentry-valid.yaml: ServiceEntry default/full: spec.addresses[1]: must be of type string, was object "
              + "(value: {\"001:db8:\":null})"));

  @ParameterizedTest
  @MethodSource("validFiles")
  void validFile_analyzed_hasNoProblemsButTheKnownDivergences(String name) throws Exception {
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.load(List.of(dir().resolve(name)));

    List<String> problems = Analyzer.analyze(loaded).stream()
        .map(p -> p.toString().replace(dir() + "/", "")).toList();

    assertThat(problems).containsExactlyElementsOf(KNOWN_DIVERGENCES.getOrDefault(name, List.of()));
    Path file = dir().resolve(name);
    for (Map.Entry<Integer, JsonNode> doc : documents(file)) {
      ConfigResource.Source source = new ConfigResource.Source(file.toString(), doc.getKey());
      boolean diverges = problems.stream().anyMatch(p -> p.startsWith(source.toString().replace(dir() + "/", "")
          + ": "));
      assertThat(diverges || loaded.resources().stream().anyMatch(r -> r.source().equals(source)))
          .as("document %s loaded", source).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("notAppliedFiles")
  void notAppliedKind_analyzed_isNotedNotRejected(String name) throws Exception {
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.load(List.of(dir().resolve(name)));

    assertThat(Analyzer.analyze(loaded)).isEmpty();
    assertThat(loaded.resources()).isEmpty();
    assertThat(loaded.notes()).hasSize(documents(dir().resolve(name)).size())
        .allMatch(note -> note.contains("does not apply to proxyless workloads"));
  }

  private static Stream<String> files(String suffix, boolean served) throws IOException {
    try (Stream<Path> list = Files.list(dir())) {
      List<String> names = new ArrayList<>();
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(suffix) && servedKind(p) == served) {
          names.add(name);
        }
      }
      return names.stream();
    }
  }

  private static boolean servedKind(Path file) throws IOException {
    for (Map.Entry<Integer, JsonNode> doc : documents(file)) {
      String apiVersion = doc.getValue().path("apiVersion").asText();
      String group = apiVersion.substring(0, Math.max(apiVersion.indexOf('/'), 0));
      if (ConfigKind.of(group, doc.getValue().path("kind").asText()).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** The non-empty documents of a file by index, as the loader numbers them. */
  private static List<Map.Entry<Integer, JsonNode>> documents(Path file) throws IOException {
    List<Map.Entry<Integer, JsonNode>> out = new ArrayList<>();
    try (JsonParser parser = YAML.getFactory().createParser(file.toFile());
         MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      int index = 0;
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          out.add(Map.entry(index, doc));
        }
        index++;
      }
    }
    return out;
  }

  private static Path dir() {
    try {
      return Path.of(IstioCrdCasesTest.class.getResource("/istio/validation").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
