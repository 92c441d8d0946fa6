package dev.inboard.mesh.bootstrap;

/**
 * The xDS bootstrap cannot be built: a malformed bootstrap file, a missing file, a bad {@code INBOARD_XDS_*} setting
 * or pod environment. Thrown at start, never later. The message names where the value came from, the field or setting,
 * what is wrong and how to fix it, e.g. {@code GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json:
 * xds_servers[0].server_uri is missing; set it to the control plane address, e.g. "unix:///etc/istio/proxy/XDS"}.
 */
public final class BootstrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BootstrapException(String message) {
    super(message);
  }

  public BootstrapException(String message, Throwable cause) {
    super(message, cause);
  }
}
