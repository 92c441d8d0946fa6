package dev.inboard.mesh.grpc;

import java.util.Objects;

/**
 * The destination of a mesh channel: {@code mesh:///reviews.default.svc.cluster.local:9080}, or without the scheme
 * {@code reviews:9080} or {@code reviews.default:9080}. The authority is what routing matches against virtual host
 * domains (as a sidecar sees the {@code :authority} the application sends); the port selects the route table.
 *
 * @param authority {@code host:port} exactly as given
 * @param port the destination port
 */
public record MeshTarget(String authority, int port) {
  /** The scheme of mesh targets. */
  public static final String SCHEME = "mesh";

  public MeshTarget {
    Objects.requireNonNull(authority, "authority");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], was " + port);
    }
  }

  /** Parses {@code mesh:///host:port} or {@code host:port}. */
  public static MeshTarget parse(String target) {
    Objects.requireNonNull(target, "target");
    String rest = target;
    String prefix = SCHEME + ":///";
    if (rest.startsWith(prefix)) {
      rest = rest.substring(prefix.length());
    } else if (rest.contains("://")) {
      throw new IllegalArgumentException(
          "target must be mesh:///host:port or host:port, was " + target);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf('/') >= 0) {
      throw new IllegalArgumentException("target must name a host and a port (host:port), was " + target);
    }
    int port;
    try {
      port = Integer.parseInt(rest.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target port must be a number, was " + target, e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("target port must be in [1, 65535], was " + target);
    }
    return new MeshTarget(rest, port);
  }

  @Override
  public String toString() {
    return SCHEME + ":///" + authority;
  }
}
