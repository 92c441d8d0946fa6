package dev.inboard.mesh.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The bootstraps built from this library's own settings: straight to istiod, or to a local control plane. */
final class DirectBootstraps {
  private static final Set<String> SERVER_FEATURES = Set.of("xds_v3");

  private final BootstrapEnvironment env;

  DirectBootstraps(BootstrapEnvironment env) {
    this.env = env;
  }

  /** TLS to istiod with the service account token; identity from the pod environment. */
  XdsBootstrap istiod(String reason) {
    PodEnvironment.requireKubernetesIdentity(env);
    String target = address(BootstrapLoader.DEFAULT_ISTIOD_ADDRESS);
    Optional<Path> rootCa = rootCa();
    Optional<Path> token = tokenFile();
    Optional<String> authority = authority();
    NodeInfo node = NodeIdentity.fromEnvironment(env);
    ControlPlaneServer server =
        new ControlPlaneServer(target, new ChannelSecurity.Tls(rootCa, authority), token, SERVER_FEATURES);
    return bootstrap(server, node, "istiod (" + reason + ") " + target);
  }

  /** Plaintext to a local control plane; identity from the environment with local defaults. */
  XdsBootstrap local(String reason) {
    for (XdsSetting tlsOnly : new XdsSetting[] {XdsSetting.ROOT_CA, XdsSetting.TOKEN_FILE, XdsSetting.AUTHORITY}) {
      tlsOnly
          .read(env)
          .ifPresent(
              v -> {
                throw new BootstrapException(
                    v.name() + " has no effect in local mode, which is plaintext; unset it, or set "
                        + XdsSetting.MODE.variable() + "=" + XdsMode.ISTIOD.settingValue());
              });
    }
    String target = address(BootstrapLoader.DEFAULT_LOCAL_ADDRESS);
    NodeInfo node = NodeIdentity.fromEnvironment(env);
    ControlPlaneServer server =
        new ControlPlaneServer(target, ChannelSecurity.PLAINTEXT, Optional.empty(), SERVER_FEATURES);
    return bootstrap(server, node, "local control plane (" + reason + ") " + target);
  }

  private static XdsBootstrap bootstrap(ControlPlaneServer server, NodeInfo node, String source) {
    Optional<String> template =
        node.shape() == ConfigShape.GRPC
            ? Optional.of(XdsBootstrap.ISTIO_SERVER_LISTENER_TEMPLATE)
            : Optional.empty();
    return new XdsBootstrap(server, node, Map.of(), template, source);
  }

  private String address(String fallback) {
    Optional<XdsSetting.Value> setting = XdsSetting.ADDRESS.read(env);
    if (setting.isEmpty()) {
      return fallback;
    }
    XdsSetting.Value value = setting.get();
    try {
      ControlPlaneTarget.parse(value.value());
    } catch (IllegalArgumentException e) {
      throw new BootstrapException(value.quoted() + " " + e.getMessage() + "; " + ControlPlaneTarget.FORMS);
    }
    return value.value();
  }

  private Optional<Path> rootCa() {
    Optional<XdsSetting.Value> setting = XdsSetting.ROOT_CA.read(env);
    String fix =
        "set " + XdsSetting.ROOT_CA.variable() + " to the PEM file of the CA that signs istiod's certificate "
            + "(Istio mounts the istio-ca-root-cert ConfigMap at " + BootstrapLoader.DEFAULT_ROOT_CA + "), or to "
            + BootstrapLoader.SYSTEM_TRUST + " to use the JDK trust store";
    if (setting.isEmpty()) {
      return Optional.of(existing(BootstrapLoader.DEFAULT_ROOT_CA, XdsSetting.ROOT_CA, fix));
    }
    XdsSetting.Value value = setting.get();
    if (value.value().equals(BootstrapLoader.SYSTEM_TRUST)) {
      return Optional.empty();
    }
    return Optional.of(existing(value, fix));
  }

  private Optional<Path> tokenFile() {
    Optional<XdsSetting.Value> setting = XdsSetting.TOKEN_FILE.read(env);
    String fix =
        "set " + XdsSetting.TOKEN_FILE.variable() + " to the projected service account token (Istio mounts it at "
            + BootstrapLoader.DEFAULT_TOKEN_FILE + " with audience istio-ca), or to " + BootstrapLoader.NO_TOKEN
            + " to send no token";
    if (setting.isEmpty()) {
      return Optional.of(existing(BootstrapLoader.DEFAULT_TOKEN_FILE, XdsSetting.TOKEN_FILE, fix));
    }
    XdsSetting.Value value = setting.get();
    if (value.value().equals(BootstrapLoader.NO_TOKEN)) {
      return Optional.empty();
    }
    return Optional.of(existing(value, fix));
  }

  private Optional<String> authority() {
    return XdsSetting.AUTHORITY
        .read(env)
        .map(
            value -> {
              String host = value.value();
              if (!host.matches("[A-Za-z0-9._-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?")) {
                throw new BootstrapException(
                    value.quoted() + " is not a host name; set it to the name in istiod's certificate, e.g. "
                        + "\"istiod.istio-system.svc\"");
              }
              return host;
            });
  }

  private static Path existing(Path defaultPath, XdsSetting setting, String fix) {
    if (!Files.isRegularFile(defaultPath)) {
      throw new BootstrapException(
          setting.variable() + " is not set and the default " + defaultPath + " does not exist; " + fix);
    }
    return defaultPath;
  }

  private static Path existing(XdsSetting.Value value, String fix) {
    Path path = Path.of(value.value());
    if (!Files.isRegularFile(path)) {
      throw new BootstrapException(value.quoted() + ": no such file; " + fix);
    }
    return path;
  }
}
