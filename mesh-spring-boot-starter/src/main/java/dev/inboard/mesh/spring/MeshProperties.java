package dev.inboard.mesh.spring;

import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import java.time.Duration;
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
 * @param enabled whether to start the mesh at all
 * @param controlPlane the control plane as {@code host:port}, reached in plaintext (a local control plane); when
 *     absent the bootstrap comes from the environment
 * @param namespace the workload's namespace (node metadata {@code NAMESPACE})
 * @param serviceAccount the Kubernetes service account name (node metadata {@code SERVICE_ACCOUNT})
 * @param labels workload labels, e.g. {@code app} and {@code version}; {@code app} defaults to
 *     {@code spring.application.name}
 * @param ports what the workload serves, port name to number, sent as the pod's container ports so a local
 *     control plane can register the workload
 * @param instanceIp the workload's IP (node metadata {@code INSTANCE_IPS} and the node id)
 * @param outboundPolicy what happens to requests for hosts the mesh does not know
 * @param waitForConfig when set, start-up waits this long for the first complete configuration and fails if it
 *     does not come (like Istio's {@code holdApplicationUntilProxyStarts})
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
    labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports));
  }
}
