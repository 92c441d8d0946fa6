package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.registry.RegistryBuilder;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.bootstrap.NodeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test proxies and push contexts built the way the control plane builds them. */
final class Proxies {
  static final Path BOOKINFO = Path.of("src/test/resources/istio/bookinfo");
  static final Path TESTDATA = Path.of("src/test/resources/istio/testdata-config");

  private Proxies() {}

  /** A sidecar-shaped proxy as istio-agent describes it in node metadata. */
  static ProxyView sidecar(String namespace, Map<String, String> labels, String ip) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("NAMESPACE", namespace);
    metadata.put("LABELS", labels);
    metadata.put("INSTANCE_IPS", ip);
    metadata.put("CLUSTER_ID", "Kubernetes");
    metadata.put("SERVICE_ACCOUNT", "default");
    String pod = labels.getOrDefault("app", "pod") + "-" + labels.getOrDefault("version", "v1") + "-1";
    NodeInfo node = new NodeInfo("sidecar~" + ip + "~" + pod + "." + namespace + "~" + namespace
        + ".svc.cluster.local", "", metadata, NodeInfo.Locality.EMPTY, "inboard", "test");
    return ProxyView.of(node);
  }

  static ConfigSet config(List<Path> files, String... yaml) {
    var loaded = IstioYamlLoader.load(files);
    if (!loaded.problems().isEmpty()) {
      throw new AssertionError("test config has problems: " + loaded.problems());
    }
    var resources = new ArrayList<>(loaded.resources());
    for (String y : yaml) {
      var one = IstioYamlLoader.loadString(y, "test.yaml");
      if (!one.problems().isEmpty()) {
        throw new AssertionError("test config has problems: " + one.problems());
      }
      resources.addAll(one.resources());
    }
    return ConfigSet.of(resources);
  }

  static PushContext push(ConfigSet config, List<WorkloadInstance> connected) {
    return new PushContext(config, RegistryBuilder.build(config, connected, MeshSettings.DEFAULT),
        MeshSettings.DEFAULT);
  }

  static PushContext push(String... yaml) {
    return push(config(List.of(), yaml), List.of());
  }
}
