package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.authn.MtlsMode;
import com.google.common.net.InetAddresses;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.agent.registry.WorkloadInstance;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The endpoints of one service port (and subset) as istiod's endpoint builder makes them, for EDS and for the
 * inline {@code load_assignment} of DNS clusters: grouped by locality (sorted), each with its weight (1 unless
 * set), the {@code istio.workload} telemetry label and, for workloads that take Istio mTLS, the
 * {@code envoy.transport_socket_match} label the cluster's {@code tlsMode-istio} match selects.
 */
final class LbEndpoints {
  static final String UNIX_PREFIX = "unix://";
  static final String DEFAULT_CLUSTER_ID = "Kubernetes";
  private static final String CANONICAL_NAME = "service.istio.io/canonical-name";
  private static final String CANONICAL_REVISION = "service.istio.io/canonical-revision";

  /**
   * What the endpoints are for.
   *
   * @param subsetLabels the subset's labels (empty for the whole service)
   * @param ruleTlsMode the TLS mode the rule sets for this cluster (its subset's, else its own), if any
   * @param policy the merged traffic policy of the cluster, for locality failover
   * @param eds whether they go out over EDS (only IP and unix-socket addresses then)
   */
  record Request(MeshService service, ServicePort port, Map<String, String> subsetLabels,
      Optional<ClientTLSSettingsTLSmode> ruleTlsMode, Optional<TrafficPolicy> policy, boolean eds) {}

  private LbEndpoints() {}

  static List<LocalityLbEndpoints> build(ProxyView proxy, PushContext push, MtlsModes peerAuthn,
      Request r) {
    Map<String, List<LbEndpoint>> byLocality = new TreeMap<>();
    for (Target t : targets(push, r)) {
      if (r.eds() && !t.address().startsWith(UNIX_PREFIX) && !InetAddresses.isInetAddress(t.address())) {
        continue;
      }
      byLocality.computeIfAbsent(t.locality(), k -> new ArrayList<>()).add(endpoint(t, mtls(peerAuthn, r, t)));
    }
    List<LocalityLbEndpoints.Builder> localities = new ArrayList<>();
    byLocality.forEach((label, endpoints) -> {
      long weight = 0;
      for (LbEndpoint e : endpoints) {
        weight = Math.min(weight + Integer.toUnsignedLong(e.getLoadBalancingWeight().getValue()), 0xFFFFFFFFL);
      }
      localities.add(LocalityLbEndpoints.newBuilder().setLocality(locality(label)).addAllLbEndpoints(endpoints)
          .setLoadBalancingWeight(UInt32Value.of((int) weight)));
    });
    LocalityFailover.apply(localities, proxy, r.policy());
    return localities.stream().map(LocalityLbEndpoints.Builder::build).toList();
  }

  /** One endpoint to send: where, who, and the labels that matter. */
  private record Target(String address, int port, String locality, int weight, boolean workloadMtls,
      String namespace, Map<String, String> labels, String telemetry) {}

  private static List<Target> targets(PushContext push, Request r) {
    MeshService s = r.service();
    List<Target> out = new ArrayList<>();
    boolean dnsHostItself = (s.resolution() == MeshService.Resolution.DNS
        || s.resolution() == MeshService.Resolution.DNS_ROUND_ROBIN)
        && s.staticEndpoints().isEmpty() && s.workloadSelector().isEmpty();
    if (dnsHostItself) {
      if (r.subsetLabels().isEmpty()) {
        out.add(new Target(s.hostname(), r.port().targetPort(), "", 1, false, "", Map.of(), ";;;;"));
      }
      return out;
    }
    for (WorkloadInstance w : push.registry().instancesOf(s)) {
      if (!w.labels().entrySet().containsAll(r.subsetLabels().entrySet())) {
        continue;
      }
      int port = w.address().startsWith(UNIX_PREFIX) ? 0 : endpointPort(s, r.port(), w);
      out.add(new Target(w.address(), port, w.locality(), w.weight() > 0 ? w.weight() : 1, w.mtls(), w.namespace(),
          w.labels(), telemetry(w)));
    }
    return out;
  }

  /**
   * Where a workload listens for a service port: for a ServiceEntry its port of the same name, else the target
   * port; for a Kubernetes Service the numeric target port, a named one looked up in the workload's ports, else
   * the service port.
   */
  static int endpointPort(MeshService s, ServicePort port, WorkloadInstance w) {
    if (!SidecarScope.isKubernetes(s)) {
      Integer named = w.ports().get(port.name());
      return named != null && named > 0 ? named : port.targetPort();
    }
    if (!port.targetPortName().isEmpty()) {
      Integer named = w.ports().get(port.targetPortName());
      return named != null && named > 0 ? named : port.port();
    }
    return port.targetPort();
  }

  /**
   * The TLS mode a rule's policy sets for a port, as istiod's endpoint builder reads it: the policy's own, unless
   * port-level settings for the port set one.
   */
  static Optional<ClientTLSSettingsTLSmode> ruleTlsMode(TrafficPolicy policy, int port) {
    Optional<ClientTLSSettingsTLSmode> mode = Optional.ofNullable(policy.getTls())
        .map(io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings::getMode);
    Optional<ClientTLSSettingsTLSmode> portMode = TrafficPolicies.forPort(policy, port)
        .map(TrafficPolicy::getTls)
        .map(io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings::getMode);
    return portMode.or(() -> mode);
  }

  /** Whether the endpoint gets the mTLS transport socket: the rule's TLS mode decides, else label and policy. */
  private static boolean mtls(MtlsModes peerAuthn, Request r, Target t) {
    if (!t.workloadMtls()) {
      return false;
    }
    if (r.ruleTlsMode().isPresent()) {
      return r.ruleTlsMode().get() == ClientTLSSettingsTLSmode.ISTIO_MUTUAL;
    }
    return peerAuthn.workloadMode(t.namespace(), t.labels(), t.port()) != MtlsMode.DISABLE;
  }

  private static LbEndpoint endpoint(Target t, boolean mtls) {
    Address address = t.address().startsWith(UNIX_PREFIX)
        ? Address.newBuilder().setPipe(Pipe.newBuilder().setPath(t.address().substring(UNIX_PREFIX.length())))
            .build()
        : Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(t.address())
            .setPortValue(t.port())).build();
    Metadata.Builder metadata = Metadata.newBuilder();
    if (mtls) {
      metadata.putFilterMetadata("envoy.transport_socket_match",
          Struct.newBuilder().putFields("tlsMode", ClusterMetadata.str("istio")).build());
    }
    metadata.putFilterMetadata(ClusterMetadata.ISTIO,
        Struct.newBuilder().putFields("workload", ClusterMetadata.str(t.telemetry())).build());
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(address))
        .setLoadBalancingWeight(UInt32Value.of(t.weight()))
        .setMetadata(metadata)
        .build();
  }

  /**
   * {@code workload;namespace;canonical-service;canonical-revision;cluster}: the revision left empty when it would
   * be {@code latest}; a ServiceEntry's inline endpoints have no workload name or namespace.
   */
  static String telemetry(WorkloadInstance w) {
    boolean inline = w.origin() == WorkloadInstance.Origin.SERVICE_ENTRY_ENDPOINT;
    String name = inline ? "" : w.name();
    String namespace = inline ? "" : w.namespace();
    String canonical = first(w.labels(), name, CANONICAL_NAME, "app.kubernetes.io/name", "app");
    String revision = first(w.labels(), "latest", CANONICAL_REVISION, "app.kubernetes.io/version", "version");
    return name + ";" + namespace + ";" + canonical + ";" + (revision.equals("latest") ? "" : revision) + ";"
        + DEFAULT_CLUSTER_ID;
  }

  private static String first(Map<String, String> labels, String fallback, String... keys) {
    for (String k : keys) {
      if (labels.containsKey(k)) {
        return labels.get(k);
      }
    }
    return fallback;
  }

  static Locality locality(String label) {
    String[] parts = label.split("/", -1);
    Locality.Builder l = Locality.newBuilder();
    if (!label.isEmpty()) {
      l.setRegion(parts[0]);
      if (parts.length > 1) {
        l.setZone(parts[1]);
      }
      if (parts.length > 2) {
        l.setSubZone(parts[2]);
      }
    }
    return l.build();
  }
}
