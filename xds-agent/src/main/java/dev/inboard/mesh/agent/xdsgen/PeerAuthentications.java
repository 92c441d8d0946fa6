package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.config.ConfigResource;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthentication;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLS;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mTLS mode PeerAuthentications give a workload: its own (selector) policy, port-level first, else its
 * namespace's, else the mesh's (root namespace); {@code UNSET} inherits; nothing at all means PERMISSIVE.
 */
final class PeerAuthentications {
  enum Mode { STRICT, PERMISSIVE, DISABLE }

  private final List<ConfigResource<PeerAuthentication>> policies;
  private final String rootNamespace;

  PeerAuthentications(PushContext push) {
    this.policies = push.config().peerAuthentications();
    this.rootNamespace = push.mesh().rootNamespace();
  }

  /** The namespace-level mode, used to decide whether a service gets automatic mTLS. */
  Mode namespaceMode(String namespace) {
    return namespaceLevel(namespace).or(() -> namespaceLevel(rootNamespace)).orElse(Mode.PERMISSIVE);
  }

  /** The mode of one workload port. */
  Mode workloadMode(String namespace, Map<String, String> labels, int port) {
    Optional<ConfigResource<PeerAuthentication>> own = policies.stream()
        .filter(p -> p.namespace().equals(namespace) && hasSelector(p.spec()))
        .filter(p -> Sidecars.selects(p.spec().getSelector().getMatchLabels(), labels))
        .findFirst();
    if (own.isPresent()) {
      PeerAuthentication spec = own.get().spec();
      Optional<Mode> portMode = Optional.ofNullable(spec.getPortLevelMtls())
          .map(m -> m.get(String.valueOf(port))).flatMap(PeerAuthentications::mode);
      Optional<Mode> workload = portMode.or(() -> mode(spec.getMtls()));
      if (workload.isPresent()) {
        return workload.get();
      }
    }
    return namespaceMode(namespace);
  }

  private Optional<Mode> namespaceLevel(String namespace) {
    return policies.stream()
        .filter(p -> p.namespace().equals(namespace) && !hasSelector(p.spec()))
        .findFirst()
        .flatMap(p -> mode(p.spec().getMtls()));
  }

  private static boolean hasSelector(PeerAuthentication pa) {
    return pa.getSelector() != null && pa.getSelector().getMatchLabels() != null
        && !pa.getSelector().getMatchLabels().isEmpty();
  }

  private static Optional<Mode> mode(PeerAuthenticationMutualTLS mtls) {
    if (mtls == null || mtls.getMode() == null || mtls.getMode() == PeerAuthenticationMutualTLSMode.UNSET) {
      return Optional.empty();
    }
    return Optional.of(switch (mtls.getMode()) {
      case STRICT -> Mode.STRICT;
      case DISABLE -> Mode.DISABLE;
      default -> Mode.PERMISSIVE;
    });
  }
}
