package dev.inboard.mesh.bootstrap;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane to connect to and how.
 *
 * @param target gRPC target: {@code unix:///etc/istio/proxy/XDS} (istio-agent's socket),
 *     {@code dns:///istiod.istio-system.svc:15012} or {@code host:port}; a port is required
 * @param security plaintext or TLS
 * @param bearerTokenFile file holding a JWT (the projected service account token
 *     {@code /var/run/secrets/tokens/istio-token}) sent as {@code authorization: Bearer <token>}, re-read on every
 *     call; only allowed with TLS so the token never travels in clear text
 * @param serverFeatures the bootstrap's {@code server_features}, e.g. {@code xds_v3}
 */
public record ControlPlaneServer(
    String target, ChannelSecurity security, Optional<Path> bearerTokenFile, Set<String> serverFeatures) {

  public ControlPlaneServer {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(bearerTokenFile, "bearerTokenFile");
    serverFeatures = Set.copyOf(serverFeatures);
    try {
      ControlPlaneTarget.parse(target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target \"" + target + "\" " + e.getMessage() + "; " + ControlPlaneTarget.FORMS, e);
    }
    if (bearerTokenFile.isPresent() && !(security instanceof ChannelSecurity.Tls)) {
      throw new IllegalArgumentException(
          "bearer token file " + bearerTokenFile.get() + " needs TLS: a token must not be sent in plaintext to "
              + target);
    }
  }

  /** A plaintext server without token, e.g. istio-agent's unix socket or a local control plane. */
  public static ControlPlaneServer plaintext(String target) {
    return new ControlPlaneServer(target, ChannelSecurity.PLAINTEXT, Optional.empty(), Set.of());
  }

  /** The parsed target. */
  ControlPlaneTarget parsedTarget() {
    return ControlPlaneTarget.parse(target);
  }
}
