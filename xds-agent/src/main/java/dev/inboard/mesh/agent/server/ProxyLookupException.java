package dev.inboard.mesh.agent.server;

/** No connected proxy, or more than one, answers to the name asked for; the message says which are connected. */
public final class ProxyLookupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProxyLookupException(String message) {
    super(message);
  }
}
