package dev.inboard.mesh.spring;

import com.google.common.net.InetAddresses;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.bootstrap.BootstrapException;
import dev.inboard.mesh.bootstrap.BootstrapLoader;
import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.bootstrap.XdsSetting;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the xDS bootstrap from {@link MeshProperties} over the environment: with {@code mesh.control-plane} a
 * plaintext bootstrap to that address and the node read from the pod environment; without it the bootstrap
 * {@link BootstrapLoader#load(BootstrapEnvironment)} finds. Node properties that are set then override the node.
 *
 * <p>The workload describes itself for auto-registration: without {@code mesh.ports} and without ports from the
 * environment, a fixed {@code server.port} is the {@code http} port; without {@code mesh.instance-ip} and without an
 * IP from the environment, an IP literal in {@code server.address} is the instance IP.
 */
public final class MeshBootstrapFactory {
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):(\\d{1,5})");
  private static final String LOCAL_EXAMPLE = "127.0.0.1:15010";
  private static final String POD_PORTS = "POD_PORTS";
  private static final String INSTANCE_IPS = "INSTANCE_IPS";
  private static final String INSTANCE_IP = "INSTANCE_IP";

  private static final Logger log = LoggerFactory.getLogger(MeshBootstrapFactory.class);

  private MeshBootstrapFactory() {}

  /**
   * The bootstrap for these properties.
   *
   * @param applicationName {@code spring.application.name}, the {@code app} label when none is set
   * @throws MeshConfigurationException naming the property, the value and the fix
   */
  public static XdsBootstrap create(
      MeshProperties properties, BootstrapEnvironment env, Optional<String> applicationName) {
    return create(properties, env, applicationName, ApplicationServer.NONE);
  }

  /**
   * The bootstrap for these properties, the workload's ports and IP defaulting to what {@code server} says.
   *
   * @param applicationName {@code spring.application.name}, the {@code app} label when none is set
   * @throws MeshConfigurationException naming the property, the value and the fix
   */
  public static XdsBootstrap create(MeshProperties properties, BootstrapEnvironment env,
      Optional<String> applicationName, ApplicationServer server) {
    MeshPropertyChecks.check(properties);
    if (properties.controlPlane() != null) {
      String target = controlPlane(properties.controlPlane());
      warnIfEnvironmentBootstrapIgnored(env, target);
      NodeInfo environmentNode = NodeIdentity.fromEnvironment(env);
      Map<String, String> environmentLabels = environmentNode.labels();
      NodeIdentity.Builder node = NodeIdentity.builder().applyEnvironment(env);
      Workload workload = Workload.of(properties, server, hasPorts(environmentNode), environmentNamesIp(env));
      NodeInfo info = build(overlay(node, properties, workload, applicationName, environmentLabels));
      Optional<String> template =
          info.shape() == ConfigShape.GRPC
              ? Optional.of(XdsBootstrap.ISTIO_SERVER_LISTENER_TEMPLATE)
              : Optional.empty();
      log.info("xDS bootstrap from mesh.control-plane: server {}, node {}", target, info.id());
      return new XdsBootstrap(
          ControlPlaneServer.plaintext(target), info, Map.of(), template, "mesh.control-plane " + target);
    }
    XdsBootstrap loaded = load(env);
    NodeInfo node = loaded.node();
    Workload workload = Workload.of(properties, server, hasPorts(node),
        environmentNamesIp(env) || env.variable(BootstrapLoader.GRPC_XDS_BOOTSTRAP).isPresent()
            || env.variable(BootstrapLoader.GRPC_XDS_BOOTSTRAP_CONFIG).isPresent());
    boolean defaultApp = applicationName.isPresent() && !node.labels().containsKey("app")
        && !properties.labels().containsKey("app");
    if (!nodePropertiesSet(properties, workload) && !defaultApp) {
      return loaded;
    }
    NodeInfo overridden = build(overlay(seed(node), properties, workload, applicationName, node.labels()));
    return new XdsBootstrap(loaded.server(), overridden, loaded.certificateProviders(),
        loaded.serverListenerResourceNameTemplate(), loaded.source() + " with mesh.* properties");
  }

  private static XdsBootstrap load(BootstrapEnvironment env) {
    try {
      return BootstrapLoader.load(env);
    } catch (BootstrapException e) {
      throw new MeshConfigurationException("environment", "the xDS bootstrap from the environment is invalid: "
          + e.getMessage(),
          "Fix the variable or system property named above, or set mesh.control-plane to a local control plane's"
              + " host:port, e.g. mesh.control-plane=" + LOCAL_EXAMPLE,
          e);
    }
  }

  private static String controlPlane(String value) {
    Matcher m = HOST_PORT.matcher(value.trim());
    String action = "Set mesh.control-plane to the control plane's host and port, e.g. mesh.control-plane="
        + LOCAL_EXAMPLE + ", or remove it to take the bootstrap from the environment (GRPC_XDS_BOOTSTRAP,"
        + " INBOARD_XDS_ADDRESS)";
    if (!m.matches()) {
      throw new MeshConfigurationException("mesh.control-plane",
          "mesh.control-plane '" + value + "' must be host:port, e.g. " + LOCAL_EXAMPLE, action);
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new MeshConfigurationException("mesh.control-plane",
          "mesh.control-plane '" + value + "' has port " + port + ", which must be in 1-65535", action);
    }
    return value.trim();
  }

  private static void warnIfEnvironmentBootstrapIgnored(BootstrapEnvironment env, String target) {
    for (String variable : new String[] {BootstrapLoader.GRPC_XDS_BOOTSTRAP, BootstrapLoader.GRPC_XDS_BOOTSTRAP_CONFIG,
        XdsSetting.MODE.variable(), XdsSetting.ADDRESS.variable()}) {
      if (env.variable(variable).isPresent()) {
        log.warn("mesh.control-plane={} is used; {} is set but ignored", target, variable);
      }
    }
  }

  private static boolean nodePropertiesSet(MeshProperties p, Workload workload) {
    return p.namespace() != null || p.serviceAccount() != null || workload.instanceIp().isPresent()
        || !p.labels().isEmpty() || !workload.ports().isEmpty();
  }

  private static boolean hasPorts(NodeInfo node) {
    return node.metadata().containsKey(POD_PORTS);
  }

  /** Whether the environment says which IP the workload has (the pod IP from the downward API, or metadata). */
  private static boolean environmentNamesIp(BootstrapEnvironment env) {
    return env.variable(INSTANCE_IP).isPresent() || env.variable("ISTIO_META_" + INSTANCE_IPS).isPresent();
  }

  /** A builder holding everything a loaded node says, so properties can override parts of it. */
  private static NodeIdentity.Builder seed(NodeInfo node) {
    NodeIdentity.Builder builder = NodeIdentity.builder();
    node.metadata().forEach((key, value) -> {
      if (!key.equals("LABELS")) {
        builder.metadata(key, value);
      }
    });
    builder.userAgent(node.userAgentName(), node.userAgentVersion());
    if (!node.locality().isEmpty()) {
      builder.locality(node.locality());
    }
    // Istio's id is type~ip~pod.namespace~domain: keep what it says that the metadata may not (the pod name, the
    // IP, a DNS domain other than the default for the namespace).
    String[] id = node.id().split("~", -1);
    if (id.length == 4) {
      String namespace = node.namespace().orElse("default");
      String podSuffix = "." + namespace;
      if (!node.metadata().containsKey("NAME") && id[2].endsWith(podSuffix) && id[2].length() > podSuffix.length()) {
        builder.podName(id[2].substring(0, id[2].length() - podSuffix.length()));
      }
      if (node.instanceIps().isEmpty() && InetAddresses.isInetAddress(id[1])) {
        builder.instanceIps(id[1]);
      }
      if (!id[3].isEmpty() && !id[3].equals(namespace + ".svc.cluster.local")) {
        builder.dnsDomain(id[3]);
      }
    }
    return builder;
  }

  private static NodeIdentity.Builder overlay(NodeIdentity.Builder node, MeshProperties p, Workload workload,
      Optional<String> applicationName, Map<String, String> baseLabels) {
    if (!baseLabels.isEmpty()) {
      node.labels(baseLabels);
    }
    if (p.namespace() != null) {
      node.namespace(p.namespace());
    }
    if (p.serviceAccount() != null) {
      node.serviceAccount(p.serviceAccount());
    }
    workload.instanceIp().ifPresent(node::instanceIps);
    p.labels().forEach(node::label);
    if (!p.labels().containsKey("app") && !baseLabels.containsKey("app")) {
      applicationName.filter(name -> !name.isBlank()).ifPresent(node::app);
    }
    workload.ports().forEach(node::port);
    return node;
  }

  private static NodeInfo build(NodeIdentity.Builder node) {
    try {
      return node.build();
    } catch (IllegalArgumentException e) {
      throw new MeshConfigurationException("mesh", "the mesh node cannot be built from mesh.* properties and the"
          + " environment: " + e.getMessage(), "Fix the mesh.* property or environment variable holding that value");
    }
  }
}
