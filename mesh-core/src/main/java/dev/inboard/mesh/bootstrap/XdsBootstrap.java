package dev.inboard.mesh.bootstrap;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the xDS client needs before it connects: the control plane, this node's identity, certificate
 * providers for mTLS and the inbound listener name template. Built by {@link BootstrapLoader} or directly.
 *
 * @param server the control plane and how to reach it
 * @param node who this process says it is
 * @param certificateProviders the bootstrap's {@code certificate_providers} by instance name ({@code default})
 * @param serverListenerResourceNameTemplate LDS name for inbound listeners, {@code %s} replaced by
 *     {@code ip:port}; istio-agent writes {@code xds.istio.io/grpc/lds/inbound/%s}
 * @param source where this bootstrap came from, for error messages and the config dump, e.g.
 *     {@code GRPC_XDS_BOOTSTRAP /etc/istio/proxy/grpc-bootstrap.json}
 */
public record XdsBootstrap(
    ControlPlaneServer server,
    NodeInfo node,
    Map<String, CertificateProviderConfig> certificateProviders,
    Optional<String> serverListenerResourceNameTemplate,
    String source) {

  /** The inbound listener name template istio-agent writes for proxyless gRPC. */
  public static final String ISTIO_SERVER_LISTENER_TEMPLATE = "xds.istio.io/grpc/lds/inbound/%s";

  public XdsBootstrap {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(node, "node");
    certificateProviders = Map.copyOf(certificateProviders);
    Objects.requireNonNull(serverListenerResourceNameTemplate, "serverListenerResourceNameTemplate");
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      throw new IllegalArgumentException("source must describe where the bootstrap came from");
    }
  }
}
