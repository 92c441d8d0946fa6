package dev.inboard.mesh.agent.cli;

import picocli.CommandLine.Command;

/** {@code meshctl delete -f FILE|DIR}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {
        "Remove the resources named (kind, namespace, name) in the YAML from a running `meshctl serve`.",
        "Resources that are not there are reported and make the exit code 1; the others are still removed."})
final class DeleteCommand extends ConfigChangeCommand {
  @Override
  String path() {
    return "/v1/delete";
  }
}
