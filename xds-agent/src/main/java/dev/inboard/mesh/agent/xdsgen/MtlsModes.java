package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.MtlsMode;
import dev.inboard.mesh.agent.authn.PeerAuthentications;
import dev.inboard.mesh.agent.config.ConfigSet;
import java.util.Map;

/** PeerAuthentication modes as cluster and endpoint generation ask for them, over one push's config. */
final class MtlsModes {
  private final ConfigSet config;
  private final String rootNamespace;

  MtlsModes(PushContext push) {
    this.config = push.config();
    this.rootNamespace = push.mesh().rootNamespace();
  }

  /** The namespace-wide mode (inheriting the mesh-wide one), which decides whether a service gets auto-mTLS. */
  MtlsMode namespaceMode(String namespace) {
    return PeerAuthentications.forWorkload(config, namespace, Map.of(), rootNamespace).mode();
  }

  /** The mode of one workload port. */
  MtlsMode workloadMode(String namespace, Map<String, String> labels, int port) {
    return PeerAuthentications.forWorkload(config, namespace, labels, rootNamespace).modeFor(port);
  }
}
