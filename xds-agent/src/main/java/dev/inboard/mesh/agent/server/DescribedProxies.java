package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.xdsgen.ProxyView;
import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import java.util.Map;

/** Proxies described by hand (namespace, labels, service account) to see what they would be served. */
public final class DescribedProxies {
  /** The pod name a described proxy gets in its node id. */
  public static final String POD_NAME = "meshctl-described";

  private DescribedProxies() {}

  /** The view istiod would take of a pod with these facts, at {@code 127.0.0.1}. */
  public static ProxyView describe(String namespace, Map<String, String> labels, String serviceAccount,
      ConfigShape shape) {
    return ProxyView.of(NodeIdentity.builder()
        .namespace(namespace)
        .podName(POD_NAME)
        .labels(labels)
        .serviceAccount(serviceAccount)
        .shape(shape)
        .build());
  }
}
