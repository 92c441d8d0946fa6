package dev.inboard.mesh.bootstrap;

import java.util.Optional;

/**
 * A parsed gRPC target for the control plane. Accepted forms: {@code unix:///abs/path} (also Istio's
 * {@code unix:////etc/istio/proxy/XDS} and {@code unix:relative/path}), {@code dns:///host:port},
 * {@code dns://resolver/host:port} and a bare {@code host:port} or {@code [ipv6]:port}. A port is required: gRPC would
 * otherwise silently use 443.
 */
sealed interface ControlPlaneTarget permits ControlPlaneTarget.Unix, ControlPlaneTarget.HostPort {

  /** How to fix a bad target; appended to every target error. */
  String FORMS = "use host:port, dns:///host:port or unix:///path, e.g. \"istiod.istio-system.svc:15012\"";

  /** The target in the canonical form given to gRPC. */
  String grpcTarget();

  /** A unix domain socket. */
  record Unix(String path) implements ControlPlaneTarget {
    @Override
    public String grpcTarget() {
      return path.startsWith("/") ? "unix://" + path : "unix:" + path;
    }
  }

  /** A host (name or IP literal, without brackets) and port, resolved by DNS unless it is a literal. */
  record HostPort(Optional<String> dnsAuthority, String host, int port) implements ControlPlaneTarget {
    @Override
    public String grpcTarget() {
      String hostPort = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
      return "dns://" + dnsAuthority.orElse("") + "/" + hostPort;
    }
  }

  /**
   * Parses a target.
   *
   * @throws IllegalArgumentException whose message says what is wrong, phrased to follow the quoted value, e.g.
   *     {@code has no port}
   */
  static ControlPlaneTarget parse(String target) {
    if (target.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    if (target.startsWith("unix:")) {
      return unix(target.substring("unix:".length()));
    }
    if (target.startsWith("dns:")) {
      String rest = target.substring("dns:".length());
      Optional<String> authority = Optional.empty();
      if (rest.startsWith("//")) {
        int slash = rest.indexOf('/', 2);
        if (slash < 0) {
          throw new IllegalArgumentException("has no host:port after the DNS authority");
        }
        String dnsServer = rest.substring(2, slash);
        authority = dnsServer.isEmpty() ? Optional.empty() : Optional.of(dnsServer);
        rest = rest.substring(slash + 1);
      }
      return hostPort(authority, rest);
    }
    int schemeEnd = target.indexOf("://");
    if (schemeEnd > 0) {
      throw new IllegalArgumentException("uses the unsupported scheme \"" + target.substring(0, schemeEnd) + "\"");
    }
    return hostPort(Optional.empty(), target);
  }

  private static Unix unix(String rest) {
    String path = rest;
    if (rest.startsWith("//")) {
      path = rest.substring(2);
      if (!path.isEmpty() && !path.startsWith("/")) {
        throw new IllegalArgumentException("names a host; a unix socket target has the form unix:///path");
      }
    }
    while (path.startsWith("//")) {
      path = path.substring(1);
    }
    if (path.isEmpty() || path.equals("/")) {
      throw new IllegalArgumentException("has no socket path");
    }
    return new Unix(path);
  }

  private static HostPort hostPort(Optional<String> authority, String hostPort) {
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("has an unclosed '[' in its IPv6 address");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.startsWith(":")) {
        throw new IllegalArgumentException("has no port");
      }
      port = after.substring(1);
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("has no port");
      }
      host = hostPort.substring(0, colon);
      port = hostPort.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("has an IPv6 address without brackets, write [address]:port");
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("has no host");
    }
    if (host.indexOf('/') >= 0) {
      throw new IllegalArgumentException("has a '/' in its host");
    }
    return new HostPort(authority, host, port(port));
  }

  private static int port(String port) {
    if (port.isEmpty()) {
      throw new IllegalArgumentException("has no port");
    }
    if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("has an invalid port \"" + port + "\"");
    }
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("has port " + value + ", outside 1-65535");
    }
    return value;
  }
}
