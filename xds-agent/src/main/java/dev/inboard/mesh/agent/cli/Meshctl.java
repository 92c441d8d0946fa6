package dev.inboard.mesh.agent.cli;

import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl}: Inboard's control plane on one machine, in istioctl's words.
 *
 * <pre>
 * meshctl serve --config-dir DIR [--xds-port 15010] [--api-port 15014]
 * meshctl apply -f FILE|DIR            meshctl delete -f FILE|DIR
 * meshctl proxy-status                 meshctl proxy-config (listeners|routes|clusters|endpoints|all) WORKLOAD
 * meshctl analyze FILE|DIR...
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 the command failed (refused configuration, problems found, server unreachable), 2 bad
 * arguments.
 */
@Command(
    name = "meshctl",
    mixinStandardHelpOptions = true,
    versionProvider = Meshctl.Version.class,
    description = "Serve Istio configuration as xDS on one machine, change what is served, and see what each "
        + "workload receives.",
    subcommands = {
        ServeCommand.class,
        ApplyCommand.class,
        DeleteCommand.class,
        ProxyStatusCommand.class,
        ProxyConfigCommand.class,
        AnalyzeCommand.class,
        RouteCommand.class,
        CommandLine.HelpCommand.class})
public final class Meshctl implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  final ServerComponents components;
  final InputStream stdin;

  @Spec
  @SuppressWarnings("unused")
  private CommandSpec spec;

  public Meshctl(ServerComponents components, InputStream stdin) {
    this.components = components;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "Missing command: choose serve, apply, delete, proxy-status, proxy-config or analyze");
  }

  /** {@code meshctl} wired to {@code components}, printing failures as {@code error: ...}. */
  public static CommandLine commandLine(ServerComponents components, InputStream stdin) {
    CommandLine cl = new CommandLine(new Meshctl(components, stdin));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof CliException) {
        command.getErr().println("error: " + e.getMessage());
      } else {
        command.getErr().println("error: " + e);
        e.printStackTrace(command.getErr());
      }
      command.getErr().flush();
      return FAILED;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine(ServerComponents.standard(), System.in).execute(args));
  }

  /** The jar's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meshctl " + Optional.ofNullable(Meshctl.class.getPackage().getImplementationVersion())
          .orElse("dev")};
    }
  }
}
