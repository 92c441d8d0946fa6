package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.MtlsMode;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import java.util.List;
import java.util.Optional;

/**
 * Upstream TLS as istiod builds it: the rule's {@code tls} (ISTIO_MUTUAL, MUTUAL, SIMPLE, DISABLE), or, without
 * one, automatic mTLS: a {@code tlsMode-istio} transport socket match for endpoints labelled as running a proxy
 * and plaintext ({@code tlsMode-disabled}) for the rest.
 */
final class ClusterTls {
  static final String TLS_SOCKET = "envoy.transport_sockets.tls";
  static final String RAW_BUFFER_SOCKET = "envoy.transport_sockets.raw_buffer";
  static final List<String> ALPN_IN_MESH = List.of("istio-peer-exchange", "istio");
  static final List<String> ALPN_IN_MESH_H2 = List.of("istio-peer-exchange", "istio", "h2");

  /** What the cluster's TLS comes from. */
  record Input(Optional<ClientTLSSettings> tls, List<String> serviceAccounts, String sni, boolean meshExternal,
      boolean serviceEntry, MtlsMode serviceMode, boolean knownServiceMode,
      boolean ruleHasSelector) {}

  private ClusterTls() {}

  static void apply(ClusterDraft draft, Input in) {
    Optional<ClientTLSSettings> settings = in.tls();
    boolean autoDetected = false;
    if (settings.isPresent()) {
      ClientTLSSettings tls = settings.get();
      if (tls.getMode() == ClientTLSSettingsTLSmode.ISTIO_MUTUAL) {
        String sni = nonEmpty(tls.getSni()) ? tls.getSni() : in.sni();
        List<String> sans = tls.getSubjectAltNames() == null || tls.getSubjectAltNames().isEmpty()
            ? in.serviceAccounts() : tls.getSubjectAltNames();
        settings = Optional.of(istioMutual(sans, sni));
      }
    } else if (!in.meshExternal() && in.knownServiceMode()
        && in.serviceMode() != MtlsMode.DISABLE) {
      settings = Optional.of(istioMutual(in.serviceAccounts(), in.sni()));
      autoDetected = true;
    }
    Optional<UpstreamTlsContext> context = settings.flatMap(tls -> context(draft, tls, in));
    context.ifPresent(ctx -> draft.cluster.setTransportSocket(TransportSocket.newBuilder().setName(TLS_SOCKET)
        .setTypedConfig(Any.pack(ctx))));
    if (autoDetected && draft.cluster.getType() != Cluster.DiscoveryType.ORIGINAL_DST && context.isPresent()) {
      TransportSocket mtls = draft.cluster.getTransportSocket();
      draft.cluster.clearTransportSocket();
      draft.cluster.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
          .setName("tlsMode-istio")
          .setMatch(Struct.newBuilder().putFields("tlsMode", ClusterMetadata.str("istio")))
          .setTransportSocket(mtls));
      draft.cluster.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
          .setName("tlsMode-disabled")
          .setMatch(Struct.getDefaultInstance())
          .setTransportSocket(rawBuffer()));
    }
  }

  static TransportSocket rawBuffer() {
    return TransportSocket.newBuilder().setName(RAW_BUFFER_SOCKET)
        .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance())).build();
  }

  private static ClientTLSSettings istioMutual(List<String> sans, String sni) {
    ClientTLSSettings out = new ClientTLSSettings();
    out.setMode(ClientTLSSettingsTLSmode.ISTIO_MUTUAL);
    out.setSubjectAltNames(sans);
    out.setSni(sni);
    return out;
  }

  private static Optional<UpstreamTlsContext> context(ClusterDraft draft, ClientTLSSettings tls, Input in) {
    ClientTLSSettingsTLSmode mode = tls.getMode() == null ? ClientTLSSettingsTLSmode.DISABLE : tls.getMode();
    boolean privilegedCredential = nonEmpty(tls.getCredentialName())
        && !tls.getCredentialName().startsWith("configmap://") && !tls.getCredentialName().equals("invalid://");
    if (privilegedCredential && !in.ruleHasSelector()
        && (mode == ClientTLSSettingsTLSmode.SIMPLE || mode == ClientTLSSettingsTLSmode.MUTUAL)) {
      return Optional.empty(); // a sidecar only gets credentials from rules that select it
    }
    return switch (mode) {
      case DISABLE -> Optional.empty();
      case ISTIO_MUTUAL -> Optional.of(UpstreamTlsContext.newBuilder()
          .setSni(nonEmpty(tls.getSni()) ? tls.getSni() : draft.cluster.getName())
          .setCommonTlsContext(defaultCommon()
              .addTlsCertificateSdsSecretConfigs(SdsConfigs.agent(SdsConfigs.WORKLOAD_CERTIFICATE))
              .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                  .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                      .addAllMatchSubjectAltNames(exact(tls.getSubjectAltNames())))
                  .setValidationContextSdsSecretConfig(SdsConfigs.agent(SdsConfigs.ROOT_CA)))
              .addAllAlpnProtocols(draft.isHttp2() ? ALPN_IN_MESH_H2 : ALPN_IN_MESH))
          .build());
      case SIMPLE, MUTUAL -> userTls(draft, tls, mode == ClientTLSSettingsTLSmode.MUTUAL, in);
    };
  }

  private static Optional<UpstreamTlsContext> userTls(ClusterDraft draft, ClientTLSSettings tls, boolean mutual,
      Input in) {
    UpstreamTlsContext.Builder out = UpstreamTlsContext.newBuilder().setSni(orEmpty(tls.getSni()));
    CommonTlsContext.Builder common = defaultCommon();
    List<String> sans = tls.getSubjectAltNames() == null ? List.of() : tls.getSubjectAltNames();
    boolean skipVerify = Boolean.TRUE.equals(tls.getInsecureSkipVerify());
    boolean autoSni = !nonEmpty(tls.getSni());
    if (autoSni) {
      draft.http().getUpstreamHttpProtocolOptionsBuilder().setAutoSni(true);
      if (sans.isEmpty() && !skipVerify) {
        draft.http().getUpstreamHttpProtocolOptionsBuilder().setAutoSanValidation(true);
      }
    }
    if (in.serviceEntry() && sans.isEmpty()) {
      sans = in.serviceAccounts();
    }
    if (nonEmpty(tls.getCredentialName())) {
      if (mutual) {
        common.addTlsCertificateSdsSecretConfigs(SdsConfigs.credential(tls.getCredentialName()));
      }
      if (!skipVerify) {
        common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                .addAllMatchSubjectAltNames(exact(sans)))
            .setValidationContextSdsSecretConfig(SdsConfigs.credential(tls.getCredentialName() + "-cacert")));
      }
    } else {
      if (mutual) {
        if (!nonEmpty(tls.getClientCertificate()) || !nonEmpty(tls.getPrivateKey())) {
          return Optional.empty(); // istiod: client certificate and private key must not be empty
        }
        common.addTlsCertificateSdsSecretConfigs(
            SdsConfigs.agent("file-cert:" + tls.getClientCertificate() + "~" + tls.getPrivateKey()));
      }
      String ca = nonEmpty(tls.getCaCertificates()) ? tls.getCaCertificates() : "system";
      if (skipVerify) {
        common.setValidationContext(CertificateValidationContext.getDefaultInstance());
      } else {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
            .addAllMatchSubjectAltNames(exact(sans));
        if (nonEmpty(tls.getCaCrl())) {
          validation.setCrl(DataSource.newBuilder().setFilename(tls.getCaCrl()));
        }
        common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(validation)
            .setValidationContextSdsSecretConfig(SdsConfigs.agent("file-root:" + ca)));
      }
    }
    if (draft.isHttp2()) {
      common.addAlpnProtocols("h2");
    }
    return Optional.of(out.setCommonTlsContext(common).build());
  }

  private static CommonTlsContext.Builder defaultCommon() {
    return CommonTlsContext.newBuilder().setTlsParams(TlsParameters.newBuilder()
        .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
        .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3));
  }

  private static List<StringMatcher> exact(List<String> values) {
    return values == null ? List.of()
        : values.stream().map(v -> StringMatcher.newBuilder().setExact(v).build()).toList();
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
