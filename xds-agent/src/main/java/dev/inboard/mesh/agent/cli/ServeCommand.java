package dev.inboard.mesh.agent.cli;

import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl serve}: runs the local control plane until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "Serve the Istio YAML of a directory as xDS (ADS, plaintext) to workloads that connect, as istiod would.",
        "The directory is watched: valid changes are served within a second; invalid ones are refused with the "
            + "problems logged, and the last good configuration keeps serving.",
        "Workloads register themselves when they connect (namespace, labels, service account, ports from their "
            + "node metadata)."})
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  private Meshctl parent;

  @Spec
  private CommandSpec spec;

  @Option(names = "--config-dir", required = true, paramLabel = "DIR",
      description = "Directory of Istio YAML (and Kubernetes Services), read recursively.")
  private Path configDir;

  @Option(names = "--xds-port", paramLabel = "PORT", defaultValue = "15010",
      description = "xDS (ADS) port on 127.0.0.1 (default: ${DEFAULT-VALUE}); 0 picks a free port.")
  private int xdsPort;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "15014",
      description = "Control API port on 127.0.0.1 for the other meshctl commands (default: ${DEFAULT-VALUE}).")
  private int apiPort;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(configDir)) {
      throw new ParameterException(spec.commandLine(), "--config-dir " + configDir + ": not a directory");
    }
    ControlPlaneOptions options;
    try {
      options = ControlPlaneOptions.builder().configDir(configDir).xdsPort(xdsPort).apiPort(apiPort).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LocalControlPlane cp;
    try {
      cp = LocalControlPlane.start(options, parent.components.registryBuilder(), parent.components.generator());
    } catch (IOException e) {
      throw new CliException("cannot start: " + e.getMessage() + "; is another process using port " + xdsPort
          + " or " + apiPort + "? Choose others with --xds-port and --api-port");
    }
    Thread hook = new Thread(cp::close, "meshctl-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    int resources = cp.config().size();
    out.printf("Serving %s (%d %s): xDS on %s:%d, control API on %s:%d. Ctrl-C stops.%n", configDir, resources,
        resources == 1 ? "resource" : "resources", cp.xdsAddress().getHostString(), cp.xdsAddress().getPort(),
        cp.apiAddress().getHostString(), cp.apiAddress().getPort());
    out.flush();
    parent.components.onStarted().accept(cp);
    cp.awaitTermination();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting and the hook is what closed the control plane
    }
    return Meshctl.OK;
  }
}
