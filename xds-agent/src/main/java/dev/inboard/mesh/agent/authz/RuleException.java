package dev.inboard.mesh.agent.authz;

/** A rule, or one value of it, that cannot be turned into an RBAC matcher; the message says why. */
final class RuleException extends Exception {
  private static final long serialVersionUID = 1L;

  RuleException(String message) {
    super(message, null, false, false);
  }
}
