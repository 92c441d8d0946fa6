package dev.inboard.mesh.agent.analyze;

import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.util.List;

/** Analyzes YAML given inline (named {@code test.yaml}) and returns each problem as its one-line text. */
final class Analyze {
  private Analyze() {}

  static List<String> yaml(String yaml) {
    return Analyzer.analyze(IstioYamlLoader.loadString(yaml, "test.yaml")).stream()
        .map(ConfigProblem::toString).toList();
  }

  static List<ConfigProblem> problems(String yaml) {
    return Analyzer.analyze(IstioYamlLoader.loadString(yaml, "test.yaml"));
  }
}
