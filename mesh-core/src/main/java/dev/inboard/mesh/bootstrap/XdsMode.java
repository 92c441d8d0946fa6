package dev.inboard.mesh.bootstrap;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the xDS bootstrap comes from; the value of {@link XdsSetting#MODE}. */
public enum XdsMode {
  /** Istio's gRPC bootstrap file ({@code GRPC_XDS_BOOTSTRAP}), as istio-agent writes it for proxyless pods. */
  BOOTSTRAP_FILE("bootstrap-file"),
  /** Straight to istiod over TLS with the pod's service account token, node identity from the pod environment. */
  ISTIOD("istiod"),
  /** Plaintext to a local control plane on loopback. */
  LOCAL("local");

  private final String settingValue;

  XdsMode(String settingValue) {
    this.settingValue = settingValue;
  }

  /** The value of {@code INBOARD_XDS_MODE} that selects this mode. */
  public String settingValue() {
    return settingValue;
  }

  /** The mode a setting value names, case-insensitively. */
  public static Optional<XdsMode> fromSetting(String value) {
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.settingValue.equals(wanted)).findFirst();
  }

  /** The accepted values, for error messages: {@code bootstrap-file, istiod or local}. */
  static String choices() {
    String all =
        Arrays.stream(values()).map(XdsMode::settingValue).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
