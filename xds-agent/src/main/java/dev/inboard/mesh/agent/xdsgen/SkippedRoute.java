package dev.inboard.mesh.agent.xdsgen;

/**
 * A VirtualService route that cannot become a valid Envoy route; it is left out with this reason as a note rather
 * than sent for the client to refuse the whole route table.
 */
final class SkippedRoute extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SkippedRoute(String reason) {
    super(reason, null, false, false);
  }
}
