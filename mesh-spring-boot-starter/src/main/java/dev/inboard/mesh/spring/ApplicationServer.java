package dev.inboard.mesh.spring;

import java.util.Objects;
import java.util.Optional;

/**
 * What the application's own configuration says about the HTTP server it runs, as set (not Spring's defaults): the
 * workload describes itself from these when the {@code mesh.*} properties do not, so that a local control plane can
 * register it.
 *
 * @param port {@code server.port} as written, e.g. {@code 9080}, {@code 0}
 * @param address {@code server.address} as written, e.g. {@code 127.0.0.2}
 */
public record ApplicationServer(Optional<String> port, Optional<String> address) {
  /** Neither is set. */
  public static final ApplicationServer NONE = new ApplicationServer(Optional.empty(), Optional.empty());

  public ApplicationServer {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(address, "address");
  }
}
