package dev.inboard.mesh.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Envoy's {@code CommonTlsContext} as the mesh uses it: our certificate, how to validate the peer, ALPN. */
public record TlsContext(
    Optional<SecretRef> certificate,
    Optional<SecretRef> validationRoot,
    List<StringMatcher> subjectAltNameMatchers,
    List<String> alpnProtocols) {

  public TlsContext {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(validationRoot, "validationRoot");
    subjectAltNameMatchers = List.copyOf(subjectAltNameMatchers);
    alpnProtocols = List.copyOf(alpnProtocols);
  }

  /** Client side of TLS to an upstream ({@code UpstreamTlsContext}). */
  public record Upstream(TlsContext common, String sni) {
    public Upstream {
      Objects.requireNonNull(common, "common");
      Objects.requireNonNull(sni, "sni");
    }
  }

  /** Server side of TLS for a filter chain ({@code DownstreamTlsContext}). */
  public record Downstream(TlsContext common, boolean requireClientCertificate) {
    public Downstream {
      Objects.requireNonNull(common, "common");
    }
  }
}
