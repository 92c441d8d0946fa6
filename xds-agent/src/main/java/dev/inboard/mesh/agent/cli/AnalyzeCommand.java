package dev.inboard.mesh.agent.cli;

import dev.inboard.mesh.agent.analyze.Analyzer;
import dev.inboard.mesh.agent.config.ConfigProblem;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl analyze FILE|DIR...}: checks configuration locally, without a server. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
    description = {
        "Check Istio configuration before it is served, as `meshctl apply` and `meshctl serve` check it.",
        "Prints one line per problem and exits 1 when there is any; exits 0 when the configuration is valid."})
final class AnalyzeCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR",
      description = "YAML files or directories (their *.yaml and *.yml, recursively).")
  private List<Path> paths;

  @Override
  public Integer call() {
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ParameterException(spec.commandLine(), path + ": no such file or directory");
      }
    }
    IstioYamlLoader.LoadResult loaded = IstioYamlLoader.load(paths);
    List<ConfigProblem> problems = Analyzer.analyze(loaded);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    loaded.notes().forEach(n -> err.println("note: " + n));
    problems.forEach(out::println);
    if (problems.isEmpty()) {
      out.println("No validation issues found when analyzing " + loaded.resources().size() + " resource(s).");
    } else {
      err.println("error: " + problems.size() + " problem(s) found");
    }
    out.flush();
    err.flush();
    return problems.isEmpty() ? Meshctl.OK : Meshctl.FAILED;
  }
}
