package dev.inboard.mesh.bench;

import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.bench.IstioScaleFixture.PodEndpoint;
import dev.inboard.mesh.bench.IstioScaleFixture.Service;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * istiod's load assignment for a service port: pods grouped by locality (each locality weighted by its endpoint
 * count), every endpoint HEALTHY with weight 1 and the metadata the sidecar matches on:
 * {@code envoy.transport_socket_match: {tlsMode: istio}} for pods with a sidecar, and
 * {@code istio: {workload: "NAME;NAMESPACE;SERVICE;VERSION;CLUSTER"}}.
 */
final class IstioEndpoints {
  private static final String CLUSTER_ID = "Kubernetes";

  private IstioEndpoints() {}

  static ClusterLoadAssignment assignment(Service s, List<PodEndpoint> pods) {
    Map<String, LocalityLbEndpoints.Builder> byZone = new TreeMap<>();
    for (PodEndpoint pod : pods) {
      byZone.computeIfAbsent(pod.zone(), zone -> LocalityLbEndpoints.newBuilder()
              .setLocality(Locality.newBuilder().setRegion(IstioScaleFixture.REGION).setZone(zone)))
          .addLbEndpoints(endpoint(s, pod));
    }
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(s.clusterName());
    byZone.values().forEach(locality ->
        cla.addEndpoints(locality.setLoadBalancingWeight(UInt32Value.of(locality.getLbEndpointsCount()))));
    return cla.build();
  }

  private static LbEndpoint endpoint(Service s, PodEndpoint pod) {
    Metadata.Builder metadata = Metadata.newBuilder();
    if (pod.workload().sidecar()) {
      metadata.putFilterMetadata("envoy.transport_socket_match", IstioProtos.struct(Map.of("tlsMode", "istio")));
    }
    metadata.putFilterMetadata("istio", IstioProtos.struct(Map.of("workload", String.join(";",
        pod.workload().name(), s.namespace(), s.name(), pod.workload().version(), CLUSTER_ID))));
    return LbEndpoint.newBuilder()
        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
            SocketAddress.newBuilder().setAddress(pod.ip()).setPortValue(s.port().targetPort()))))
        .setHealthStatus(HealthStatus.HEALTHY)
        .setMetadata(metadata)
        .setLoadBalancingWeight(UInt32Value.of(1))
        .build();
  }
}
