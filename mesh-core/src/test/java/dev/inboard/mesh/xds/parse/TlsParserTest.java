package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.TlsContext;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Transport sockets in the shapes istiod sends to sidecars and to proxyless gRPC. */
class TlsParserTest {
  private static final String SDS = """
      {"apiConfigSource": {"apiType": "GRPC", "transportApiVersion": "V3",
        "grpcServices": [{"envoyGrpc": {"clusterName": "sds-grpc"}}], "setNodeOnFirstMessageOnly": true},
       "initialFetchTimeout": "0s", "resourceApiVersion": "V3"}""";

  @Test
  void upstream_istiodAutoMtls_mapsSdsNamesSanAlpnAndSni() throws Exception {
    Optional<TlsContext.Upstream> tls = TlsParser.upstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
          "commonTlsContext": {
            "tlsParams": {"tlsMinimumProtocolVersion": "TLSv1_2", "tlsMaximumProtocolVersion": "TLSv1_3"},
            "alpnProtocols": ["istio-peer-exchange", "istio"],
            "tlsCertificateSdsSecretConfigs": [{"name": "default", "sdsConfig": %1$s}],
            "combinedValidationContext": {
              "defaultValidationContext": {"matchSubjectAltNames": [
                {"exact": "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"}]},
              "validationContextSdsSecretConfig": {"name": "ROOTCA", "sdsConfig": %1$s}
            }
          },
          "sni": "outbound_.9080_.v1_.reviews.default.svc.cluster.local"
        }}
        """.formatted(SDS)));

    assertThat(tls).contains(new TlsContext.Upstream(new TlsContext(
        Optional.of(new SecretRef.WorkloadCertificate("default")),
        Optional.of(new SecretRef.RootCertificate("ROOTCA")),
        List.of(new StringMatcher.Exact("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", false)),
        List.of("istio-peer-exchange", "istio")),
        "outbound_.9080_.v1_.reviews.default.svc.cluster.local"));
  }

  @Test
  void upstream_grpcGeneratorCertificateProviders_mapsProviderInstances() throws Exception {
    Optional<TlsContext.Upstream> tls = TlsParser.upstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
          "commonTlsContext": {
            "tlsCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
            "tlsCertificateCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
            "combinedValidationContext": {
              "defaultValidationContext": {
                "matchSubjectAltNames": [{"exact": "spiffe://cluster.local/ns/default/sa/echo-app"}],
                "caCertificateProviderInstance": {"instanceName": "default", "certificateName": "ROOTCA"}
              },
              "validationContextCertificateProviderInstance": {"instanceName": "default", "certificateName": "ROOTCA"}
            }
          }
        }}
        """));

    assertThat(tls).contains(new TlsContext.Upstream(new TlsContext(
        Optional.of(new SecretRef.ProviderInstance("default/default", "default", "default")),
        Optional.of(new SecretRef.ProviderInstance("default/ROOTCA", "default", "ROOTCA")),
        List.of(new StringMatcher.Exact("spiffe://cluster.local/ns/default/sa/echo-app", false)),
        List.of()), ""));
  }

  @Test
  void upstream_destinationRuleMutualWithFiles_mapsFileSecrets() throws Exception {
    Optional<TlsContext.Upstream> tls = TlsParser.upstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
          "commonTlsContext": {
            "tlsCertificateSdsSecretConfigs": [{"name": "file-cert:/etc/certs/cert.pem~/etc/certs/key.pem",
              "sdsConfig": %1$s}],
            "combinedValidationContext": {
              "defaultValidationContext": {"matchSubjectAltNames": [{"exact": "api.example.com"}]},
              "validationContextSdsSecretConfig": {"name": "file-root:/etc/certs/root.pem", "sdsConfig": %1$s}
            }
          },
          "sni": "api.example.com"
        }}
        """.formatted(SDS)));

    assertThat(tls).contains(new TlsContext.Upstream(new TlsContext(
        Optional.of(new SecretRef.FileCertificate("file-cert:/etc/certs/cert.pem~/etc/certs/key.pem",
            "/etc/certs/cert.pem", "/etc/certs/key.pem")),
        Optional.of(new SecretRef.FileRoot("file-root:/etc/certs/root.pem", "/etc/certs/root.pem")),
        List.of(new StringMatcher.Exact("api.example.com", false)),
        List.of()), "api.example.com"));
  }

  @Test
  void upstream_istiodTlsModeDisabledRawBuffer_isPlaintext() throws Exception {
    assertThat(TlsParser.upstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.raw_buffer", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer"}}
        """))).isEmpty();
  }

  @Test
  void downstream_istiodInboundMtls_requiresClientCertificate() throws Exception {
    Optional<TlsContext.Downstream> tls = TlsParser.downstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
          "commonTlsContext": {
            "alpnProtocols": ["istio-peer-exchange", "h2", "http/1.1"],
            "tlsCertificateSdsSecretConfigs": [{"name": "default", "sdsConfig": %1$s}],
            "combinedValidationContext": {
              "defaultValidationContext": {},
              "validationContextSdsSecretConfig": {"name": "ROOTCA", "sdsConfig": %1$s}
            }
          },
          "requireClientCertificate": true
        }}
        """.formatted(SDS)));

    assertThat(tls).contains(new TlsContext.Downstream(new TlsContext(
        Optional.of(new SecretRef.WorkloadCertificate("default")),
        Optional.of(new SecretRef.RootCertificate("ROOTCA")),
        List.of(),
        List.of("istio-peer-exchange", "h2", "http/1.1")), true));
  }

  @Test
  void upstream_inlineTrustedCa_isRejected() {
    assertThatThrownBy(() -> TlsParser.upstream(ClusterJson.transportSocket("""
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
          "commonTlsContext": {"validationContext": {"trustedCa": {"filename": "/etc/ssl/ca.pem"}}}
        }}
        """)))
        .isInstanceOf(XdsValidationException.class)
        .hasMessage("typed_config.common_tls_context.validation_context.trusted_ca: inline trust roots are not "
            + "supported; serve them over SDS");
  }
}
