package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's Bookinfo networking samples analyze clean, the way the Bookinfo tasks apply them. */
class BookinfoAnalyzeTest {
  private static final String DESTINATION_RULES = "destination-rule-all.yaml";
  private static final String DESTINATION_RULES_MTLS = "destination-rule-all-mtls.yaml";

  static Stream<String> samples() throws IOException {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sample_withBookinfoDestinationRules_analyzesClean(String name) {
    List<ConfigProblem> plain = Analyzer.analyze(IstioYamlLoader.load(List.of(dir().resolve(DESTINATION_RULES),
        dir().resolve(name))));
    List<ConfigProblem> mtls = Analyzer.analyze(IstioYamlLoader.load(List.of(
        dir().resolve(DESTINATION_RULES_MTLS), dir().resolve(name))));

    assertThat(plain).isEmpty();
    assertThat(mtls).isEmpty();
  }

  /**
   * The samples are alternatives, not one configuration: loaded together, later files replace earlier resources of
   * the same name. fault-injection-details-v1.yaml's DestinationRule {@code details} (subset v1 only) replaces
   * destination-rule-all.yaml's, and virtual-service-details-v2.yaml's VirtualService then routes to a subset
   * nothing defines any more. Everything else is consistent.
   */
  @Test
  void wholeDirectory_analyzed_findsOnlyTheDetailsSubsetLostToAReplacedDestinationRule() {
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.load(List.of(dir()));

    assertThat(Analyzer.analyze(loaded)).extracting(ConfigProblem::toString).containsExactly(
        dir().resolve("virtual-service-details-v2.yaml") + ": VirtualService default/details: "
            + "spec.http[0].route[0].destination.subset: no DestinationRule defines subset v2 for host "
            + "details.default.svc.cluster.local; its DestinationRule defines v1 (value: v2)");
    assertThat(loaded.documents()).hasSizeGreaterThan(30);
  }

  @Test
  void routeToSubsets_withoutDestinationRules_isRejectedPerSubset() {
    List<ConfigProblem> problems = Analyzer.analyze(IstioYamlLoader.load(List.of(
        dir().resolve("virtual-service-reviews-80-20.yaml"))));

    assertThat(problems).extracting(ConfigProblem::field, ConfigProblem::value).containsExactly(
        org.assertj.core.groups.Tuple.tuple("spec.http[0].route[0].destination.subset", "v1"),
        org.assertj.core.groups.Tuple.tuple("spec.http[0].route[1].destination.subset", "v2"));
  }

  private static Path dir() {
    try {
      return Path.of(BookinfoAnalyzeTest.class.getResource("/istio/bookinfo/networking").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
