package dev.inboard.mesh.config;

import java.util.Objects;

/** An IP address or host name and a port, as in Envoy's {@code core.v3.SocketAddress}. */
public record SocketAddress(String host, int port) {
  public SocketAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
