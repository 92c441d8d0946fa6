package dev.inboard.mesh.bootstrap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who this process says it is to the control plane: the fields of Envoy's {@code core.v3.Node} that matter to
 * istiod. The transport turns this into the {@code Node} proto.
 *
 * @param id Istio's node id {@code sidecar~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local}
 * @param cluster Envoy's service cluster ({@code <app>.<namespace>}); empty when the bootstrap file has none
 * @param metadata node metadata with istio-agent's keys ({@code NAMESPACE}, {@code LABELS}, {@code INSTANCE_IPS},
 *     ...) as a JSON-like tree: {@code String}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}
 * @param locality region, zone and sub-zone; all empty when unknown
 * @param userAgentName Envoy's {@code user_agent_name}
 * @param userAgentVersion Envoy's {@code user_agent_version}
 */
public record NodeInfo(
    String id,
    String cluster,
    Map<String, Object> metadata,
    Locality locality,
    String userAgentName,
    String userAgentVersion) {

  /** The {@code user_agent_name} this library sends. */
  public static final String USER_AGENT_NAME = "inboard";

  /** The {@code user_agent_version} this library sends: the jar's implementation version, else {@code dev}. */
  public static final String USER_AGENT_VERSION =
      Optional.ofNullable(NodeInfo.class.getPackage().getImplementationVersion()).orElse("dev");

  public NodeInfo {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
    Objects.requireNonNull(cluster, "cluster");
    metadata = JsonValues.copyObject(metadata, "metadata");
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(userAgentName, "userAgentName");
    Objects.requireNonNull(userAgentVersion, "userAgentVersion");
  }

  /** Envoy's {@code core.v3.Locality}. */
  public record Locality(String region, String zone, String subZone) {
    public static final Locality EMPTY = new Locality("", "", "");

    public Locality {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(subZone, "subZone");
    }

    public boolean isEmpty() {
      return region.isEmpty() && zone.isEmpty() && subZone.isEmpty();
    }
  }

  /** A string metadata value; empty when absent or not a string. */
  public Optional<String> metadataString(String key) {
    Object value = metadata.get(key);
    return value instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** {@code NAMESPACE}: the pod's namespace. */
  public Optional<String> namespace() {
    return metadataString(IstioMetadata.NAMESPACE);
  }

  /** {@code LABELS}: the pod's labels; empty when absent. */
  public Map<String, String> labels() {
    Object value = metadata.get(IstioMetadata.LABELS);
    if (!(value instanceof Map<?, ?> map)) {
      return Map.of();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    map.forEach(
        (key, label) -> {
          if (label instanceof String s) {
            labels.put((String) key, s);
          }
        });
    return Map.copyOf(labels);
  }

  /** {@code WORKLOAD_NAME}: the owning Deployment (or other workload) name. */
  public Optional<String> workloadName() {
    return metadataString(IstioMetadata.WORKLOAD_NAME);
  }

  /** {@code SERVICE_ACCOUNT}: the pod's Kubernetes service account name (not the SPIFFE id). */
  public Optional<String> serviceAccount() {
    return metadataString(IstioMetadata.SERVICE_ACCOUNT);
  }

  /** {@code CLUSTER_ID}: the Kubernetes cluster as istiod names it ({@code Kubernetes} by default). */
  public Optional<String> clusterId() {
    return metadataString(IstioMetadata.CLUSTER_ID);
  }

  /** {@code MESH_ID}: the mesh id (the trust domain, {@code cluster.local}, unless set). */
  public Optional<String> meshId() {
    return metadataString(IstioMetadata.MESH_ID);
  }

  /** {@code INSTANCE_IPS}: the pod's IPs, first the pod IP; istio-agent sends them comma-separated. */
  public List<String> instanceIps() {
    Object value = metadata.get(IstioMetadata.INSTANCE_IPS);
    List<String> ips = new ArrayList<>();
    if (value instanceof String s) {
      for (String ip : s.split(",", -1)) {
        if (!ip.isBlank()) {
          ips.add(ip.trim());
        }
      }
    } else if (value instanceof List<?> list) {
      list.forEach(ip -> ips.add(String.valueOf(ip)));
    }
    return List.copyOf(ips);
  }

  /** {@code GENERATOR}: the istiod config generator this node asks for; {@code grpc} for proxyless gRPC. */
  public Optional<String> generator() {
    return metadataString(IstioMetadata.GENERATOR);
  }

  /** {@link ConfigShape#GRPC} when {@code GENERATOR} is {@code grpc}, otherwise {@link ConfigShape#SIDECAR}. */
  public ConfigShape shape() {
    return generator().filter(ConfigShape.GRPC_GENERATOR::equals).isPresent() ? ConfigShape.GRPC : ConfigShape.SIDECAR;
  }
}
