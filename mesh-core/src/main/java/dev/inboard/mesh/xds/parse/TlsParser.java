package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.TlsContext;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Transport sockets: TLS contexts with SDS secret names mapped to {@link SecretRef}s, or plaintext. Paths in errors
 * are relative to the {@code transport_socket} field.
 */
public final class TlsParser {
  static final String UPSTREAM_TLS_TYPE_URL =
      "type.googleapis.com/" + UpstreamTlsContext.getDescriptor().getFullName();
  static final String DOWNSTREAM_TLS_TYPE_URL =
      "type.googleapis.com/" + DownstreamTlsContext.getDescriptor().getFullName();
  static final String RAW_BUFFER_TYPE_URL =
      "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

  private TlsParser() {}

  /** An upstream (cluster) transport socket: empty for plaintext. */
  public static Optional<TlsContext.Upstream> upstream(TransportSocket socket) throws XdsValidationException {
    Any config = socket.getTypedConfig();
    if (isPlaintext(socket)) {
      return Optional.empty();
    }
    Validation.check(UPSTREAM_TLS_TYPE_URL.equals(config.getTypeUrl()), "typed_config",
        "unsupported transport socket '" + socket.getName() + "' of type " + config.getTypeUrl());
    UpstreamTlsContext tls = unpack(config, UpstreamTlsContext.class);
    TlsContext common = Validation.at("typed_config.common_tls_context", () -> common(tls.getCommonTlsContext()));
    return Optional.of(new TlsContext.Upstream(common, tls.getSni()));
  }

  /** A downstream (filter chain) transport socket: empty for plaintext. */
  public static Optional<TlsContext.Downstream> downstream(TransportSocket socket) throws XdsValidationException {
    Any config = socket.getTypedConfig();
    if (isPlaintext(socket)) {
      return Optional.empty();
    }
    Validation.check(DOWNSTREAM_TLS_TYPE_URL.equals(config.getTypeUrl()), "typed_config",
        "unsupported transport socket '" + socket.getName() + "' of type " + config.getTypeUrl());
    DownstreamTlsContext tls = unpack(config, DownstreamTlsContext.class);
    TlsContext common = Validation.at("typed_config.common_tls_context", () -> common(tls.getCommonTlsContext()));
    return Optional.of(new TlsContext.Downstream(common,
        tls.hasRequireClientCertificate() && tls.getRequireClientCertificate().getValue()));
  }

  private static boolean isPlaintext(TransportSocket socket) {
    return RAW_BUFFER_TYPE_URL.equals(socket.getTypedConfig().getTypeUrl())
        || (!socket.hasTypedConfig() && "envoy.transport_sockets.raw_buffer".equals(socket.getName()));
  }

  static TlsContext common(CommonTlsContext c) throws XdsValidationException {
    Optional<SecretRef> certificate = Optional.empty();
    if (c.getTlsCertificateSdsSecretConfigsCount() > 0) {
      Validation.check(c.getTlsCertificateSdsSecretConfigsCount() == 1, "tls_certificate_sds_secret_configs",
          "exactly one secret is supported, was " + c.getTlsCertificateSdsSecretConfigsCount());
      certificate = Optional.of(Validation.at("tls_certificate_sds_secret_configs[0]",
          () -> sds(c.getTlsCertificateSdsSecretConfigs(0))));
    } else if (c.hasTlsCertificateProviderInstance()) {
      certificate = Optional.of(provider(c.getTlsCertificateProviderInstance()));
    } else if (c.hasTlsCertificateCertificateProviderInstance()) {
      CommonTlsContext.CertificateProviderInstance legacy = c.getTlsCertificateCertificateProviderInstance();
      certificate = Optional.of(provider(legacy.getInstanceName(), legacy.getCertificateName()));
    } else {
      Validation.check(c.getTlsCertificatesCount() == 0, "tls_certificates",
          "inline certificates are not supported; serve them over SDS");
    }

    Optional<SecretRef> root = Optional.empty();
    List<StringMatcher> sans = List.of();
    switch (c.getValidationContextTypeCase()) {
      case VALIDATION_CONTEXT -> {
        CertificateValidationContext v = c.getValidationContext();
        root = Validation.at("validation_context", () -> validationRoot(v));
        sans = Validation.at("validation_context", () -> sanMatchers(v));
      }
      case VALIDATION_CONTEXT_SDS_SECRET_CONFIG -> root = Optional.of(
          Validation.at("validation_context_sds_secret_config", () -> sds(c.getValidationContextSdsSecretConfig())));
      case COMBINED_VALIDATION_CONTEXT -> {
        CommonTlsContext.CombinedCertificateValidationContext combined = c.getCombinedValidationContext();
        CertificateValidationContext v = combined.getDefaultValidationContext();
        sans = Validation.at("combined_validation_context.default_validation_context", () -> sanMatchers(v));
        if (combined.hasValidationContextSdsSecretConfig()) {
          root = Optional.of(Validation.at("combined_validation_context.validation_context_sds_secret_config",
              () -> sds(combined.getValidationContextSdsSecretConfig())));
        } else if (combined.hasValidationContextCertificateProviderInstance()) {
          CommonTlsContext.CertificateProviderInstance legacy =
              combined.getValidationContextCertificateProviderInstance();
          root = Optional.of(provider(legacy.getInstanceName(), legacy.getCertificateName()));
        }
        if (root.isEmpty()) {
          root = Validation.at("combined_validation_context.default_validation_context", () -> validationRoot(v));
        }
      }
      case VALIDATION_CONTEXT_CERTIFICATE_PROVIDER_INSTANCE -> {
        CommonTlsContext.CertificateProviderInstance legacy = c.getValidationContextCertificateProviderInstance();
        root = Optional.of(provider(legacy.getInstanceName(), legacy.getCertificateName()));
      }
      case VALIDATION_CONTEXT_CERTIFICATE_PROVIDER -> throw new XdsValidationException(
          "validation_context_certificate_provider", "certificate provider plugins are not supported");
      case VALIDATIONCONTEXTTYPE_NOT_SET -> { }
    }
    return new TlsContext(certificate, root, sans, c.getAlpnProtocolsList());
  }

  private static Optional<SecretRef> validationRoot(CertificateValidationContext v) throws XdsValidationException {
    if (v.hasCaCertificateProviderInstance()) {
      return Optional.of(provider(v.getCaCertificateProviderInstance()));
    }
    Validation.check(!v.hasTrustedCa(), "trusted_ca", "inline trust roots are not supported; serve them over SDS");
    return Optional.empty();
  }

  private static List<StringMatcher> sanMatchers(CertificateValidationContext v) throws XdsValidationException {
    List<StringMatcher> out = new ArrayList<>();
    for (int i = 0; i < v.getMatchTypedSubjectAltNamesCount(); i++) {
      SubjectAltNameMatcher san = v.getMatchTypedSubjectAltNames(i);
      out.add(Validation.at(Validation.indexed("match_typed_subject_alt_names", i) + ".matcher",
          () -> CommonProtos.stringMatcher(san.getMatcher())));
    }
    for (int i = 0; i < v.getMatchSubjectAltNamesCount(); i++) {
      io.envoyproxy.envoy.type.matcher.v3.StringMatcher san = v.getMatchSubjectAltNames(i);
      out.add(Validation.at(Validation.indexed("match_subject_alt_names", i),
          () -> CommonProtos.stringMatcher(san)));
    }
    return out;
  }

  private static SecretRef provider(CertificateProviderPluginInstance p) {
    return provider(p.getInstanceName(), p.getCertificateName());
  }

  private static SecretRef provider(String instance, String certificateName) {
    return new SecretRef.ProviderInstance(instance + "/" + certificateName, instance, certificateName);
  }

  private static SecretRef sds(SdsSecretConfig config) throws XdsValidationException {
    Validation.check(!config.getName().isEmpty(), "name", "must not be empty");
    return secretRef(config.getName());
  }

  /** Maps an Istio SDS resource name to where the material comes from. */
  public static SecretRef secretRef(String name) throws XdsValidationException {
    if (name.equals("default")) {
      return new SecretRef.WorkloadCertificate(name);
    }
    if (name.equals("ROOTCA")) {
      return new SecretRef.RootCertificate(name);
    }
    if (name.startsWith("file-cert:")) {
      String paths = name.substring("file-cert:".length());
      int tilde = paths.indexOf('~');
      Validation.check(tilde > 0 && tilde < paths.length() - 1, "name",
          "file-cert secret must read file-cert:CERT~KEY, was '" + name + "'");
      return new SecretRef.FileCertificate(name, paths.substring(0, tilde), paths.substring(tilde + 1));
    }
    if (name.startsWith("file-root:")) {
      String path = name.substring("file-root:".length());
      Validation.check(!path.isEmpty(), "name", "file-root secret must read file-root:PATH, was '" + name + "'");
      return new SecretRef.FileRoot(name, path);
    }
    return new SecretRef.ControlPlaneSecret(name);
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type)
      throws XdsValidationException {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new XdsValidationException("typed_config", "cannot decode " + type.getSimpleName() + ": " + e.getMessage());
    }
  }
}
