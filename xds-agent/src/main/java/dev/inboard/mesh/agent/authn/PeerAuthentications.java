package dev.inboard.mesh.agent.authn;

import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.config.ConfigSet;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthentication;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLS;
import io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The effective PeerAuthentication of a workload, resolved as istiod does: a mesh-wide policy (root namespace, no
 * selector), then the namespace-wide one (no selector), then the workload's (selector matching its labels; not in
 * the root namespace), each overriding the last unless its mode is UNSET. Port-level modes come from the workload
 * policy only. Without any policy the mode is PERMISSIVE. Where several policies compete at one level, the first in
 * namespace/name order wins (istiod picks the oldest; files carry no creation time).
 */
public record PeerAuthentications(MtlsMode mode, Map<Integer, MtlsMode> perPort) {

  public PeerAuthentications {
    perPort = Map.copyOf(perPort);
  }

  /** The mode for traffic arriving on the workload's {@code targetPort}. */
  public MtlsMode modeFor(int targetPort) {
    return perPort.getOrDefault(targetPort, mode);
  }

  public static PeerAuthentications forWorkload(ConfigSet config, String namespace, Map<String, String> labels,
      String rootNamespace) {
    Optional<PeerAuthentication> mesh = Optional.empty();
    Optional<PeerAuthentication> ns = Optional.empty();
    Optional<PeerAuthentication> workload = Optional.empty();
    for (ConfigResource<PeerAuthentication> r : config.peerAuthentications()) {
      PeerAuthentication spec = r.spec();
      Map<String, String> selector = spec.getSelector() == null || spec.getSelector().getMatchLabels() == null
          ? Map.of() : spec.getSelector().getMatchLabels();
      if (selector.isEmpty()) {
        if (r.namespace().equals(rootNamespace)) {
          mesh = mesh.or(() -> Optional.of(spec));
        } else if (r.namespace().equals(namespace)) {
          ns = ns.or(() -> Optional.of(spec));
        }
      } else if (!r.namespace().equals(rootNamespace) && r.namespace().equals(namespace)
          && labels.entrySet().containsAll(selector.entrySet())) {
        workload = workload.or(() -> Optional.of(spec));
      }
    }
    MtlsMode mode = MtlsMode.PERMISSIVE;
    mode = override(mode, mesh.map(PeerAuthentication::getMtls));
    mode = override(mode, ns.map(PeerAuthentication::getMtls));
    mode = override(mode, workload.map(PeerAuthentication::getMtls));
    Map<Integer, MtlsMode> ports = new HashMap<>();
    if (workload.isPresent() && workload.get().getPortLevelMtls() != null) {
      for (Map.Entry<String, PeerAuthenticationMutualTLS> e : workload.get().getPortLevelMtls().entrySet()) {
        ports.put(Integer.parseInt(e.getKey()), override(mode, Optional.ofNullable(e.getValue())));
      }
    }
    return new PeerAuthentications(mode, ports);
  }

  private static MtlsMode override(MtlsMode inherited, Optional<PeerAuthenticationMutualTLS> mtls) {
    PeerAuthenticationMutualTLSMode m = mtls.map(PeerAuthenticationMutualTLS::getMode).orElse(null);
    if (m == null || m == PeerAuthenticationMutualTLSMode.UNSET) {
      return inherited;
    }
    return switch (m) {
      case DISABLE -> MtlsMode.DISABLE;
      case PERMISSIVE -> MtlsMode.PERMISSIVE;
      case STRICT -> MtlsMode.STRICT;
      default -> inherited;
    };
  }
}
