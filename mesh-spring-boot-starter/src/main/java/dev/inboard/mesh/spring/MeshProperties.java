package dev.inboard.mesh.spring;

import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code mesh.*} properties. What is not set comes from the environment the way the mesh reads it without
 * Spring: {@code GRPC_XDS_BOOTSTRAP}, {@code INBOARD_XDS_*}, {@code POD_NAMESPACE}, {@code ISTIO_META_*}; a property
 * that is set wins over the environment.
 *
 * @param enabled Whether to start the mesh.
 * @param controlPlane Control plane address as host:port, reached in plaintext (a local control plane). When not
 *     set, the bootstrap comes from the environment (GRPC_XDS_BOOTSTRAP, INBOARD_XDS_*, istiod in Kubernetes).
 * @param namespace Workload namespace (node metadata NAMESPACE). Overrides POD_NAMESPACE.
 * @param serviceAccount Kubernetes service account name (node metadata SERVICE_ACCOUNT). Overrides SERVICE_ACCOUNT.
 * @param labels Workload labels, such as app and version. The app label defaults to spring.application.name.
 * @param ports Ports the application serves, by name, sent as the pod's container ports so that a local control
 *     plane can register the workload.
 * @param instanceIp Workload IP address (node metadata INSTANCE_IPS and the node id). Overrides INSTANCE_IP.
 * @param outboundPolicy What happens to requests for hosts the mesh does not know.
 * @param waitForConfig How long start-up waits for the first complete configuration, failing if it does not come
 *     (like Istio's holdApplicationUntilProxyStarts). When not set, start-up does not wait.
 */
@ConfigurationProperties("mesh")
public record MeshProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String controlPlane,
    @Nullable String namespace,
    @Nullable String serviceAccount,
    Map<String, String> labels,
    Map<String, Integer> ports,
    @Nullable String instanceIp,
    @DefaultValue("ALLOW_ANY") OutboundPolicy outboundPolicy,
    @Nullable Duration waitForConfig) {

  public MeshProperties {
    // Insertion order kept (LinkedHashMap) so the ports reach the node in the order they were configured.
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
  }
}
