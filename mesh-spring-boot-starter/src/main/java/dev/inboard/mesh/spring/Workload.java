package dev.inboard.mesh.spring;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports and IP the workload registers with: the {@code mesh.*} properties when set, else what the environment
 * says, else what the application's own server configuration says ({@code server.port}, {@code server.address}).
 *
 * @param ports named container ports, in order (empty: none to add)
 * @param instanceIp the IP to put in the node (empty: keep the environment's or the default)
 */
record Workload(Map<String, Integer> ports, Optional<String> instanceIp) {
  private static final Logger log = LoggerFactory.getLogger(Workload.class);
  static final String HTTP_PORT_NAME = "http";

  static Workload of(MeshProperties properties, ApplicationServer server, boolean environmentHasPorts,
      boolean environmentHasIp) {
    Map<String, Integer> ports = properties.ports();
    if (ports.isEmpty() && !environmentHasPorts) {
      ports = server.port().flatMap(Workload::fixedPort).map(port -> Map.of(HTTP_PORT_NAME, port)).orElse(Map.of());
    }
    Optional<String> ip;
    if (properties.instanceIp() != null) {
      ip = Optional.of(properties.instanceIp().trim());
    } else if (environmentHasIp) {
      ip = Optional.empty();
    } else {
      ip = server.address().flatMap(Workload::literalIp);
    }
    return new Workload(ports, ip);
  }

  private static Optional<Integer> fixedPort(String value) {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return Optional.empty(); // Spring reports a server.port that is not a number itself
    }
    if (port == 0) {
      log.warn("server.port=0 picks a free port at start-up, so the mesh cannot register this workload by port;"
          + " set mesh.ports.{} to the port it serves on, e.g. mesh.ports.{}=8080, or give server.port a fixed"
          + " number", HTTP_PORT_NAME, HTTP_PORT_NAME);
      return Optional.empty();
    }
    if (port < 1 || port > 65535) {
      return Optional.empty(); // -1 runs no web server; Spring refuses the rest
    }
    log.info("mesh.ports is not set: the workload registers port {}={} from server.port", HTTP_PORT_NAME, port);
    return Optional.of(port);
  }

  private static Optional<String> literalIp(String value) {
    String address = value.trim();
    if (!InetAddresses.isInetAddress(address)) {
      return Optional.empty(); // a host name: resolving it here would guess
    }
    InetAddress ip = InetAddresses.forString(address);
    if (ip.isAnyLocalAddress()) {
      return Optional.empty(); // 0.0.0.0 or :: binds every interface and names no instance
    }
    String text = InetAddresses.toAddrString(ip);
    log.info("mesh.instance-ip is not set: the workload registers instance IP {} from server.address", text);
    return Optional.of(text);
  }
}
