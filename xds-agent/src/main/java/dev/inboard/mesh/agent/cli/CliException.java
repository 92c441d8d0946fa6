package dev.inboard.mesh.agent.cli;

/** A command failed for a reason the user can act on; its message is printed as {@code error: ...} (exit 1). */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }
}
