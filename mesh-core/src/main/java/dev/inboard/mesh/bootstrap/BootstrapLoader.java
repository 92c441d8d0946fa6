package dev.inboard.mesh.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the xDS bootstrap at start. Which source is used:
 *
 * <ol>
 *   <li>{@code INBOARD_XDS_MODE} (system property {@code inboard.xds.mode}) set to {@code bootstrap-file},
 *       {@code istiod} or {@code local} picks the source explicitly. Otherwise:
 *   <li><b>Istio's gRPC bootstrap</b>, as istio-agent writes it for the {@code grpc-agent} injection template, when one
 *       of these is set (checked in gRPC's order, the first wins): environment {@code GRPC_XDS_BOOTSTRAP} (file path),
 *       system property {@code io.grpc.xds.bootstrap} (file path), environment {@code GRPC_XDS_BOOTSTRAP_CONFIG}
 *       (inline JSON), system property {@code io.grpc.xds.bootstrapConfig} (inline JSON).
 *   <li><b>Straight to istiod</b> when running in a Kubernetes pod ({@code KUBERNETES_SERVICE_HOST} is set): TLS to
 *       {@code INBOARD_XDS_ADDRESS} (default {@code istiod.istio-system.svc:15012}) verified with
 *       {@code INBOARD_XDS_ROOT_CA} (default {@code /var/run/secrets/istio/root-cert.pem}, or {@code SYSTEM}), the
 *       projected token {@code INBOARD_XDS_TOKEN_FILE} (default {@code /var/run/secrets/tokens/istio-token}, or
 *       {@code none}) as bearer token, and the node identity read from the pod environment as pilot-agent reads it
 *       ({@link NodeIdentity}).
 *   <li><b>A local control plane</b> otherwise: plaintext to {@code INBOARD_XDS_ADDRESS} (default
 *       {@code 127.0.0.1:15010}), node identity from the environment with local defaults.
 * </ol>
 *
 * <p>Each {@code INBOARD_XDS_*} variable can also be given as a system property ({@link XdsSetting}); the property
 * wins. Anything malformed fails here with a {@link BootstrapException} naming the source, the field or setting, the
 * bad value and the fix.
 */
public final class BootstrapLoader {
  private BootstrapLoader() {}

  private static final Logger log = LoggerFactory.getLogger(BootstrapLoader.class);

  public static final String GRPC_XDS_BOOTSTRAP = "GRPC_XDS_BOOTSTRAP";
  public static final String GRPC_XDS_BOOTSTRAP_CONFIG = "GRPC_XDS_BOOTSTRAP_CONFIG";
  public static final String GRPC_BOOTSTRAP_PROPERTY = "io.grpc.xds.bootstrap";
  public static final String GRPC_BOOTSTRAP_CONFIG_PROPERTY = "io.grpc.xds.bootstrapConfig";
  public static final String KUBERNETES_SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

  public static final String DEFAULT_ISTIOD_ADDRESS = "istiod.istio-system.svc:15012";
  public static final String DEFAULT_LOCAL_ADDRESS = "127.0.0.1:15010";
  public static final Path DEFAULT_ROOT_CA = Path.of("/var/run/secrets/istio/root-cert.pem");
  public static final Path DEFAULT_TOKEN_FILE = Path.of("/var/run/secrets/tokens/istio-token");
  /** {@code INBOARD_XDS_ROOT_CA} value selecting the JDK trust store. */
  public static final String SYSTEM_TRUST = "SYSTEM";
  /** {@code INBOARD_XDS_TOKEN_FILE} value sending no token. */
  public static final String NO_TOKEN = "none";

  /** The bootstrap for this process ({@link BootstrapEnvironment#system()}). */
  public static XdsBootstrap load() {
    return load(BootstrapEnvironment.system());
  }

  /** The bootstrap for an environment, by the precedence above. */
  public static XdsBootstrap load(BootstrapEnvironment env) {
    Optional<XdsSetting.Value> modeSetting = XdsSetting.MODE.read(env);
    XdsMode mode;
    String reason;
    if (modeSetting.isPresent()) {
      XdsSetting.Value value = modeSetting.get();
      mode =
          XdsMode.fromSetting(value.value())
              .orElseThrow(
                  () ->
                      new BootstrapException(
                          value.quoted() + " is not a mode; set it to " + XdsMode.choices()));
      reason = value.name() + "=" + mode.settingValue();
    } else if (grpcBootstrapSource(env).isPresent()) {
      mode = XdsMode.BOOTSTRAP_FILE;
      reason = "";
    } else if (env.variable(KUBERNETES_SERVICE_HOST).isPresent()) {
      mode = XdsMode.ISTIOD;
      reason = "in Kubernetes";
    } else {
      mode = XdsMode.LOCAL;
      reason = "outside Kubernetes";
    }
    XdsBootstrap bootstrap =
        switch (mode) {
          case BOOTSTRAP_FILE -> fromGrpcBootstrap(env);
          case ISTIOD -> new DirectBootstraps(env).istiod(reason);
          case LOCAL -> new DirectBootstraps(env).local(reason);
        };
    log.info(
        "xDS bootstrap from {}: server {}, node {}, {} config",
        bootstrap.source(),
        bootstrap.server().target(),
        bootstrap.node().id(),
        bootstrap.node().shape());
    return bootstrap;
  }

  /**
   * A bootstrap from JSON text in gRPC's bootstrap format.
   *
   * @param source where the text came from, for errors and the config dump
   */
  public static XdsBootstrap fromJson(String json, String source) {
    return BootstrapJson.parse(json, source);
  }

  /** A bootstrap from a file in gRPC's bootstrap format. */
  public static XdsBootstrap fromFile(Path file) {
    return fromFile(file, "bootstrap file " + file, "the path");
  }

  private static XdsBootstrap fromGrpcBootstrap(BootstrapEnvironment env) {
    GrpcBootstrapSource source =
        grpcBootstrapSource(env)
            .orElseThrow(
                () ->
                    new BootstrapException(
                        XdsSetting.MODE.variable() + "=" + XdsMode.BOOTSTRAP_FILE.settingValue() + " needs "
                            + GRPC_XDS_BOOTSTRAP + " (a file path) or " + GRPC_XDS_BOOTSTRAP_CONFIG
                            + " (inline JSON); Istio's grpc-agent injection template sets " + GRPC_XDS_BOOTSTRAP
                            + "=/etc/istio/proxy/grpc-bootstrap.json"));
    List<XdsSetting> ignored =
        List.of(
            XdsSetting.ADDRESS,
            XdsSetting.ROOT_CA,
            XdsSetting.TOKEN_FILE,
            XdsSetting.AUTHORITY,
            XdsSetting.DNS_DOMAIN);
    for (XdsSetting setting : ignored) {
      setting
          .read(env)
          .ifPresent(
              v -> {
                throw new BootstrapException(
                    v.name() + " has no effect when the bootstrap comes from " + source.name()
                        + "; unset it, or set " + XdsSetting.MODE.variable() + " to "
                        + XdsMode.ISTIOD.settingValue() + " or " + XdsMode.LOCAL.settingValue());
              });
    }
    if (source.inline()) {
      return fromJson(source.value(), source.name() + " (inline JSON)");
    }
    return fromFile(Path.of(source.value()), source.name() + " " + source.value(), source.name());
  }

  private static XdsBootstrap fromFile(Path file, String source, String fixWhat) {
    String json;
    try {
      if (Files.isDirectory(file)) {
        throw new BootstrapException(source + ": is a directory, not a bootstrap file; fix " + fixWhat);
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BootstrapException(
          source + ": file does not exist; fix " + fixWhat + " or unset it (with the grpc-agent injection template "
              + "istio-agent writes this file when the pod starts)",
          e);
    } catch (IOException e) {
      throw new BootstrapException(source + ": cannot read the file: " + e, e);
    }
    return fromJson(json, source);
  }

  /** A set gRPC bootstrap variable or property. */
  private record GrpcBootstrapSource(String name, String value, boolean inline) {}

  private static Optional<GrpcBootstrapSource> grpcBootstrapSource(BootstrapEnvironment env) {
    Map<String, Optional<String>> candidates = new LinkedHashMap<>();
    candidates.put(GRPC_XDS_BOOTSTRAP, env.variable(GRPC_XDS_BOOTSTRAP));
    candidates.put(GRPC_BOOTSTRAP_PROPERTY, env.systemProperty(GRPC_BOOTSTRAP_PROPERTY));
    candidates.put(GRPC_XDS_BOOTSTRAP_CONFIG, env.variable(GRPC_XDS_BOOTSTRAP_CONFIG));
    candidates.put(GRPC_BOOTSTRAP_CONFIG_PROPERTY, env.systemProperty(GRPC_BOOTSTRAP_CONFIG_PROPERTY));
    Set<String> inline = Set.of(GRPC_XDS_BOOTSTRAP_CONFIG, GRPC_BOOTSTRAP_CONFIG_PROPERTY);
    for (Map.Entry<String, Optional<String>> candidate : candidates.entrySet()) {
      if (candidate.getValue().isPresent()) {
        String name = candidate.getKey();
        return Optional.of(new GrpcBootstrapSource(name, candidate.getValue().get(), inline.contains(name)));
      }
    }
    return Optional.empty();
  }
}
