package dev.inboard.mesh.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inboard.mesh.agent.server.YamlSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apply} and {@code delete}: send YAML to the server as one change and print what happened. */
abstract class ConfigChangeCommand implements Callable<Integer> {
  @ParentCommand
  private Meshctl parent;

  @Spec
  private CommandSpec spec;

  @Option(names = "-f", required = true, paramLabel = "FILE|DIR",
      description = "YAML file, directory (its *.yaml and *.yml, recursively) or - for standard input; repeatable.")
  private List<Path> files;

  @Mixin
  private ServerOptions server;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (one line per resource, default) or json.")
  private OutputFormat output;

  /** The control API path: {@code /v1/apply} or {@code /v1/delete}. */
  abstract String path();

  @Override
  public Integer call() {
    List<YamlSource> sources = ManifestFiles.read(spec, files, parent.stdin);
    ApiClient.Reply reply = server.client().postJson(path(), ManifestFiles.requestBody(sources));
    JsonNode body = reply.body();
    if (reply.status() != 200 && !body.has("accepted")) {
      throw new CliException(reply.error());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean accepted = body.path("accepted").asBoolean();
    boolean allFound = body.path("notFound").isEmpty();
    if (output == OutputFormat.JSON) {
      out.println(body.toPrettyString());
    } else if (accepted) {
      body.path("changes").forEach(c -> out.println(c.path("resource").asText() + " " + c.path("action").asText()));
      body.path("notFound").forEach(r -> err.println("error: " + r.asText() + " not found"));
      body.path("notes").forEach(n -> err.println("note: " + n.asText()));
    } else {
      body.path("problems").forEach(p -> err.println(p.path("text").asText()));
      err.println("error: refused, nothing was changed: " + body.path("problems").size() + " problem(s)");
    }
    out.flush();
    err.flush();
    return accepted && allFound ? Meshctl.OK : Meshctl.FAILED;
  }
}
