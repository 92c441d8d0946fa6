package dev.inboard.mesh.bootstrap;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** How the channel to the control plane is secured. */
public sealed interface ChannelSecurity permits ChannelSecurity.Plaintext, ChannelSecurity.Tls {

  /**
   * No transport security: istio-agent's unix socket ({@code unix:///etc/istio/proxy/XDS}), istiod's plaintext port
   * 15010, or a local control plane on loopback. Bootstrap {@code channel_creds} type {@code insecure}.
   */
  record Plaintext() implements ChannelSecurity {}

  /**
   * TLS, verifying the server certificate.
   *
   * @param rootCaFile PEM file of the CA certificates that sign the server's certificate (for istiod, the mesh root
   *     CA from the {@code istio-ca-root-cert} ConfigMap); empty means the JDK's default trust store
   * @param authority host name to send as {@code :authority} and to verify the certificate against, e.g.
   *     {@code istiod.istio-system.svc}; empty means the host of the target
   */
  record Tls(Optional<Path> rootCaFile, Optional<String> authority) implements ChannelSecurity {
    public Tls {
      Objects.requireNonNull(rootCaFile, "rootCaFile");
      Objects.requireNonNull(authority, "authority");
      authority.ifPresent(
          a -> {
            if (a.isBlank()) {
              throw new IllegalArgumentException("authority must not be blank");
            }
          });
    }
  }

  ChannelSecurity PLAINTEXT = new Plaintext();
}
