package dev.inboard.mesh.bootstrap;

/**
 * Node metadata keys as istio-agent sends them (istio {@code pkg/model/proxy.go}, {@code NodeMetadata} and
 * {@code BootstrapNodeMetadata} JSON names). Only the keys this library reads or writes are named here; any other
 * {@code ISTIO_META_*} key passes through unchanged.
 */
public final class IstioMetadata {
  private IstioMetadata() {}

  public static final String NAMESPACE = "NAMESPACE";
  /** The pod name ({@code BootstrapNodeMetadata.InstanceName}). */
  public static final String NAME = "NAME";
  public static final String LABELS = "LABELS";
  /** Labels given in {@code ISTIO_METAJSON_LABELS}, before the pod labels file is merged in. */
  public static final String STATIC_LABELS = "STATIC_LABELS";
  public static final String WORKLOAD_NAME = "WORKLOAD_NAME";
  public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
  public static final String CLUSTER_ID = "CLUSTER_ID";
  public static final String MESH_ID = "MESH_ID";
  public static final String ISTIO_VERSION = "ISTIO_VERSION";
  public static final String INTERCEPTION_MODE = "INTERCEPTION_MODE";
  /** Comma-separated IPs, the pod IP first. */
  public static final String INSTANCE_IPS = "INSTANCE_IPS";
  /** JSON text of the pod's container ports, e.g. {@code [{"name":"http","containerPort":9080,"protocol":"TCP"}]}. */
  public static final String POD_PORTS = "POD_PORTS";
  /** Comma-separated names of the application containers. */
  public static final String APP_CONTAINERS = "APP_CONTAINERS";
  public static final String NODE_NAME = "NODE_NAME";
  public static final String OWNER = "OWNER";
  public static final String NETWORK = "NETWORK";
  public static final String GENERATOR = "GENERATOR";

  /** The pod label carrying the locality as {@code region.zone.subzone} (or with slashes). */
  public static final String LOCALITY_LABEL = "istio-locality";
  /** The label Kubernetes adds to ReplicaSet pods; istio-agent leaves it out of {@code LABELS}. */
  public static final String POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

  /** istio-agent's default {@code CLUSTER_ID} (the injection template's {@code Kubernetes}). */
  public static final String DEFAULT_CLUSTER_ID = "Kubernetes";
  /** The default trust domain, used as {@code MESH_ID} when none is given. */
  public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
  /** The default Kubernetes cluster DNS suffix. */
  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
}
