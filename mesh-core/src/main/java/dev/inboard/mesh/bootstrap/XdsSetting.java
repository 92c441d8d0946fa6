package dev.inboard.mesh.bootstrap;

import java.util.Optional;

/**
 * This library's own bootstrap settings. Each is read from a system property or, when that is not set, from an
 * environment variable; blank values count as not set.
 */
public enum XdsSetting {
  /** Where the bootstrap comes from: {@code bootstrap-file}, {@code istiod} or {@code local}; see {@link XdsMode}. */
  MODE("INBOARD_XDS_MODE", "inboard.xds.mode"),
  /**
   * The control plane's gRPC target. Default {@code istiod.istio-system.svc:15012} in {@code istiod} mode and
   * {@code 127.0.0.1:15010} in {@code local} mode.
   */
  ADDRESS("INBOARD_XDS_ADDRESS", "inboard.xds.address"),
  /**
   * PEM file of the CA that signs istiod's certificate, or {@code SYSTEM} for the JDK trust store. Default
   * {@code /var/run/secrets/istio/root-cert.pem} (the {@code istio-ca-root-cert} ConfigMap as Istio mounts it).
   */
  ROOT_CA("INBOARD_XDS_ROOT_CA", "inboard.xds.root-ca"),
  /**
   * File holding the JWT sent to istiod as a bearer token, or {@code none}. Default
   * {@code /var/run/secrets/tokens/istio-token} (the projected service account token with audience
   * {@code istio-ca}).
   */
  TOKEN_FILE("INBOARD_XDS_TOKEN_FILE", "inboard.xds.token-file"),
  /**
   * Host name to verify istiod's certificate against and send as {@code :authority}, when the address is an IP or
   * another name. Default: the host of the address.
   */
  AUTHORITY("INBOARD_XDS_AUTHORITY", "inboard.xds.authority"),
  /** The DNS domain in the node id. Default {@code <namespace>.svc.cluster.local}. */
  DNS_DOMAIN("INBOARD_XDS_DNS_DOMAIN", "inboard.xds.dns-domain");

  private final String variable;
  private final String property;

  XdsSetting(String variable, String property) {
    this.variable = variable;
    this.property = property;
  }

  /** The environment variable, e.g. {@code INBOARD_XDS_ADDRESS}. */
  public String variable() {
    return variable;
  }

  /** The system property, e.g. {@code inboard.xds.address}. */
  public String property() {
    return property;
  }

  /** The value set in the environment: the system property wins over the environment variable. */
  public Optional<Value> read(BootstrapEnvironment env) {
    Optional<String> fromProperty = env.systemProperty(property);
    if (fromProperty.isPresent()) {
      return Optional.of(new Value(property, fromProperty.get().trim()));
    }
    return env.variable(variable).map(v -> new Value(variable, v.trim()));
  }

  /**
   * A setting's value and the name it was read under.
   *
   * @param name the system property or environment variable that supplied it, for error messages
   */
  public record Value(String name, String value) {
    /** {@code NAME "value"}, the start of an error message about this value. */
    public String quoted() {
      return name + " \"" + value + "\"";
    }
  }
}
