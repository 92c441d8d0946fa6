package dev.inboard.mesh.bootstrap;

import com.google.common.net.InetAddresses;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds the node identity istio-agent would send for a pod: id {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}
 * and metadata under istio-agent's keys ({@link IstioMetadata}).
 *
 * <p>From a pod's environment, the way pilot-agent reads it: {@code ISTIO_META_<KEY>=value} becomes metadata
 * {@code KEY} (a string); each {@code ISTIO_METAJSON_<ANY>} must hold a JSON object whose entries are merged into the
 * top level of the metadata (the variable's suffix does not matter, as in pilot-agent); {@code POD_NAME},
 * {@code POD_NAMESPACE}, {@code SERVICE_ACCOUNT} and {@code INSTANCE_IP} become {@code NAME}, {@code NAMESPACE},
 * {@code SERVICE_ACCOUNT} and {@code INSTANCE_IPS}; {@code LABELS} come from {@code ISTIO_METAJSON_LABELS} overlaid
 * by the downward-API labels file (without {@code pod-template-hash}); the locality from the {@code istio-locality}
 * label. Defaults as the injection template sets them: {@code CLUSTER_ID} {@code Kubernetes}, {@code MESH_ID} the
 * trust domain ({@code TRUST_DOMAIN}, else {@code cluster.local}), DNS domain {@code <ns>.svc.cluster.local}.
 *
 * <p>For local use, the builder takes the same facts directly:
 *
 * <pre>{@code
 * NodeInfo node = NodeIdentity.builder()
 *     .namespace("default").workloadName("reviews-v1").app("reviews").version("v1")
 *     .serviceAccount("bookinfo-reviews").instanceIps("127.0.0.1").port("http", 9080)
 *     .build();
 * }</pre>
 */
public final class NodeIdentity {
  private NodeIdentity() {}

  /** The node type istio-agent uses for application pods. */
  public static final String NODE_TYPE = "sidecar";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The node for a pod environment, with the defaults of {@link Builder#build()} for what is missing. */
  public static NodeInfo fromEnvironment(BootstrapEnvironment env) {
    return builder().applyEnvironment(env).build();
  }

  /** Istio's node id: {@code <type>~<ip>~<pod>.<namespace>~<dnsDomain>}. */
  public static String nodeId(String ip, String podName, String namespace, String dnsDomain) {
    return String.join("~", NODE_TYPE, ip, podName + "." + namespace, dnsDomain);
  }

  /** Collects node facts; later calls override earlier ones. */
  public static final class Builder {
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Map<String, Object>> ports = new ArrayList<>();
    private @Nullable String dnsDomain;
    private NodeInfo.@Nullable Locality locality;
    private String userAgentName = NodeInfo.USER_AGENT_NAME;
    private String userAgentVersion = NodeInfo.USER_AGENT_VERSION;

    private Builder() {}

    /** Reads the pod environment as pilot-agent does; see {@link NodeIdentity}. */
    public Builder applyEnvironment(BootstrapEnvironment env) {
      PodEnvironment.apply(env, this);
      return this;
    }

    public Builder namespace(String namespace) {
      return text(IstioMetadata.NAMESPACE, namespace);
    }

    public Builder podName(String podName) {
      return text(IstioMetadata.NAME, podName);
    }

    public Builder workloadName(String workloadName) {
      return text(IstioMetadata.WORKLOAD_NAME, workloadName);
    }

    /** The Kubernetes service account name (not the SPIFFE id). */
    public Builder serviceAccount(String serviceAccount) {
      return text(IstioMetadata.SERVICE_ACCOUNT, serviceAccount);
    }

    /** The workload's IPs, the pod IP first; the first one goes into the node id. */
    public Builder instanceIps(String... ips) {
      if (ips.length == 0) {
        throw new IllegalArgumentException("instanceIps needs at least one IP");
      }
      for (String ip : ips) {
        if (!InetAddresses.isInetAddress(ip)) {
          throw new IllegalArgumentException("instance IP \"" + ip + "\" is not an IP address");
        }
      }
      metadata.put(IstioMetadata.INSTANCE_IPS, String.join(",", ips));
      return this;
    }

    /** Replaces all labels. */
    public Builder labels(Map<String, String> labels) {
      this.labels.clear();
      this.labels.putAll(labels);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The {@code app} label: the service name in Istio telemetry. */
    public Builder app(String app) {
      return label("app", app);
    }

    /** The {@code version} label: the subset name in DestinationRules. */
    public Builder version(String version) {
      return label("version", version);
    }

    public Builder clusterId(String clusterId) {
      return text(IstioMetadata.CLUSTER_ID, clusterId);
    }

    public Builder meshId(String meshId) {
      return text(IstioMetadata.MESH_ID, meshId);
    }

    public Builder istioVersion(String istioVersion) {
      return text(IstioMetadata.ISTIO_VERSION, istioVersion);
    }

    /** The last part of the node id; default {@code <namespace>.svc.cluster.local}. */
    public Builder dnsDomain(String dnsDomain) {
      if (dnsDomain.isBlank()) {
        throw new IllegalArgumentException("dnsDomain must not be blank");
      }
      this.dnsDomain = dnsDomain;
      return this;
    }

    /** Which config istiod generates for this node: sets or clears {@code GENERATOR}. */
    public Builder shape(ConfigShape shape) {
      if (shape == ConfigShape.GRPC) {
        metadata.put(IstioMetadata.GENERATOR, ConfigShape.GRPC_GENERATOR);
      } else {
        metadata.remove(IstioMetadata.GENERATOR);
      }
      return this;
    }

    public Builder generator(String generator) {
      return text(IstioMetadata.GENERATOR, generator);
    }

    /** A container port, sent in {@code POD_PORTS} as the injection template does. */
    public Builder port(String name, int containerPort) {
      if (containerPort < 1 || containerPort > 65535) {
        throw new IllegalArgumentException("container port must be in 1-65535, was " + containerPort);
      }
      Map<String, Object> port = new LinkedHashMap<>();
      if (!name.isEmpty()) {
        port.put("name", name);
      }
      port.put("containerPort", containerPort);
      port.put("protocol", "TCP");
      ports.add(port);
      return this;
    }

    /** The locality; by default it comes from the {@code istio-locality} label. */
    public Builder locality(NodeInfo.Locality locality) {
      this.locality = Objects.requireNonNull(locality, "locality");
      return this;
    }

    /** Any other metadata key, e.g. {@code NODE_NAME} or {@code APP_CONTAINERS}; a JSON-like value. */
    public Builder metadata(String key, Object value) {
      if (key.equals(IstioMetadata.LABELS)) {
        throw new IllegalArgumentException("set LABELS with labels(...) or label(...)");
      }
      metadata.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder userAgent(String name, String version) {
      this.userAgentName = Objects.requireNonNull(name, "name");
      this.userAgentVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * The node. Defaults for what was not set: namespace {@code default}, pod name the workload name (else
     * {@code inboard}), IP {@code 127.0.0.1}, service account {@code default}, {@code CLUSTER_ID}
     * {@code Kubernetes}, {@code MESH_ID} {@code cluster.local}.
     */
    public NodeInfo build() {
      Map<String, Object> meta = new LinkedHashMap<>(metadata);
      String namespace = stringOr(meta, IstioMetadata.NAMESPACE, "default");
      String workload = stringOr(meta, IstioMetadata.WORKLOAD_NAME, "");
      String pod = stringOr(meta, IstioMetadata.NAME, workload.isEmpty() ? "inboard" : workload);
      String ips = stringOr(meta, IstioMetadata.INSTANCE_IPS, "127.0.0.1");
      meta.put(IstioMetadata.NAMESPACE, namespace);
      meta.put(IstioMetadata.NAME, pod);
      meta.put(IstioMetadata.INSTANCE_IPS, ips);
      meta.putIfAbsent(IstioMetadata.SERVICE_ACCOUNT, "default");
      meta.putIfAbsent(IstioMetadata.CLUSTER_ID, IstioMetadata.DEFAULT_CLUSTER_ID);
      meta.putIfAbsent(IstioMetadata.MESH_ID, IstioMetadata.DEFAULT_TRUST_DOMAIN);

      Map<String, String> finalLabels = new LinkedHashMap<>(labels);
      NodeInfo.Locality nodeLocality = locality != null ? locality : localityFromLabel(finalLabels);
      if (!finalLabels.isEmpty()) {
        meta.put(IstioMetadata.LABELS, finalLabels);
      }
      if (!ports.isEmpty()) {
        meta.put(IstioMetadata.POD_PORTS, toJson(ports));
      }

      String ip = ips.split(",", -1)[0].trim();
      String domain = dnsDomain != null ? dnsDomain : namespace + ".svc." + IstioMetadata.DEFAULT_CLUSTER_DOMAIN;
      for (String part : List.of(ip, pod, namespace, domain)) {
        if (part.indexOf('~') >= 0) {
          throw new IllegalArgumentException("node id part \"" + part + "\" must not contain '~'");
        }
      }
      String cluster = serviceCluster(finalLabels.get("app"), workload, namespace);
      return new NodeInfo(
          nodeId(ip, pod, namespace, domain), cluster, meta, nodeLocality, userAgentName, userAgentVersion);
    }

    // Package-private hooks for PodEnvironment.

    Map<String, Object> rawMetadata() {
      return metadata;
    }

    Map<String, String> rawLabels() {
      return labels;
    }

    private Builder text(String key, String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException(key + " must not be blank");
      }
      metadata.put(key, value);
      return this;
    }
  }

  /**
   * The {@code istio-locality} label as a locality; the label is rewritten with '/' separators as istio-agent does.
   */
  private static NodeInfo.Locality localityFromLabel(Map<String, String> labels) {
    String label = labels.getOrDefault(IstioMetadata.LOCALITY_LABEL, "");
    if (label.isEmpty()) {
      return NodeInfo.Locality.EMPTY;
    }
    String sanitized = label.replace('.', '/');
    labels.put(IstioMetadata.LOCALITY_LABEL, sanitized);
    String[] parts = sanitized.split("/", -1);
    return new NodeInfo.Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
  }

  /** Envoy's service cluster as istio-agent derives it: {@code <app>.<ns>}, else {@code <workload>.<ns>}. */
  private static String serviceCluster(@Nullable String app, String workload, String namespace) {
    if (app != null && !app.isEmpty()) {
      return app + "." + namespace;
    }
    if (!workload.isEmpty()) {
      return workload + "." + namespace;
    }
    return "istio-proxy." + namespace;
  }

  private static String stringOr(Map<String, Object> meta, String key, String fallback) {
    Object value = meta.get(key);
    return value instanceof String s && !s.isBlank() ? s : fallback;
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }
}
