package dev.inboard.mesh.spring;

import com.google.common.net.InetAddresses;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Checks {@link MeshProperties} values the binder accepts but the mesh cannot use. */
final class MeshPropertyChecks {
  private MeshPropertyChecks() {}

  static void check(MeshProperties p) {
    blank("mesh.namespace", p.namespace(), "default");
    blank("mesh.service-account", p.serviceAccount(), "bookinfo-reviews");
    for (Map.Entry<String, Integer> port : p.ports().entrySet()) {
      String property = "mesh.ports." + port.getKey();
      Integer number = port.getValue();
      if (number == null || number < 1 || number > 65535) {
        throw new MeshConfigurationException(property,
            property + " '" + number + "' must be a port number in 1-65535",
            "Set " + property + " to the port the application serves, e.g. " + property + "=8080");
      }
    }
    p.labels().forEach((key, value) -> {
      if (value == null || value.isBlank()) {
        String property = "mesh.labels." + key;
        throw new MeshConfigurationException(property, property + " must not be blank",
            "Set " + property + " to a label value, e.g. mesh.labels.version=v1, or remove it");
      }
    });
    if (p.instanceIp() != null && !isIp(p.instanceIp().trim())) {
      throw new MeshConfigurationException("mesh.instance-ip",
          "mesh.instance-ip '" + p.instanceIp() + "' must be an IP address, e.g. 10.244.0.12",
          "Set mesh.instance-ip to the workload's IP address, or remove it to use INSTANCE_IP (default 127.0.0.1)");
    }
    Duration wait = p.waitForConfig();
    if (wait != null && (wait.isZero() || wait.isNegative())) {
      throw new MeshConfigurationException("mesh.wait-for-config",
          "mesh.wait-for-config '" + wait + "' must be positive",
          "Set mesh.wait-for-config to how long start-up may wait for the control plane, e.g."
              + " mesh.wait-for-config=30s, or remove it to start without waiting");
    }
  }

  private static void blank(String property, @Nullable String value, String example) {
    if (value != null && value.isBlank()) {
      throw new MeshConfigurationException(property, property + " must not be blank",
          "Set " + property + " to a value, e.g. " + property + "=" + example + ", or remove it");
    }
  }

  private static boolean isIp(String value) {
    return InetAddresses.isInetAddress(value);
  }
}
