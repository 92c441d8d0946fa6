package dev.inboard.mesh.agent.cli;

import picocli.CommandLine.Command;

/** {@code meshctl apply -f FILE|DIR}. */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {
        "Add or replace configuration served by a running `meshctl serve`.",
        "Everything given is one change: when anything is wrong nothing is applied, the problems are printed, and "
            + "the exit code is 1."})
final class ApplyCommand extends ConfigChangeCommand {
  @Override
  String path() {
    return "/v1/apply";
  }
}
