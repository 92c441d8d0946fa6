package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig;
import io.envoyproxy.envoy.extensions.clusters.dns.v3.DnsCluster;
import io.envoyproxy.envoy.extensions.clusters.redis.v3.RedisClusterConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin;
import io.envoyproxy.envoy.extensions.load_balancing_policies.cluster_provided.v3.ClusterProvided;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/** Protojson text to CDS/EDS protos, with every {@code Any} type those resources carry in tests registered. */
final class ClusterJson {
  static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
      .add(Cluster.getDescriptor())
      .add(ClusterLoadAssignment.getDescriptor())
      .add(UpstreamTlsContext.getDescriptor())
      .add(DownstreamTlsContext.getDescriptor())
      .add(RawBuffer.getDescriptor())
      .add(HttpProtocolOptions.getDescriptor())
      .add(ClusterConfig.getDescriptor())
      .add(DnsCluster.getDescriptor())
      .add(RedisClusterConfig.getDescriptor())
      .add(RoundRobin.getDescriptor())
      .add(LeastRequest.getDescriptor())
      .add(RingHash.getDescriptor())
      .add(Maglev.getDescriptor())
      .add(Random.getDescriptor())
      .add(ClusterProvided.getDescriptor())
      .add(WrrLocality.getDescriptor())
      .add(ClientSideWeightedRoundRobin.getDescriptor())
      .build();

  private ClusterJson() {}

  static Any cluster(String json) {
    return Any.pack(parse(json, Cluster.newBuilder()));
  }

  static Any loadAssignment(String json) {
    return Any.pack(parse(json, ClusterLoadAssignment.newBuilder()));
  }

  static TransportSocket transportSocket(String json) {
    return parse(json, TransportSocket.newBuilder());
  }

  @SuppressWarnings("unchecked")
  static <M extends Message> M parse(String json, Message.Builder builder) {
    try {
      JsonFormat.parser().usingTypeRegistry(REGISTRY).merge(json, builder);
      return (M) builder.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("bad test JSON: " + e.getMessage(), e);
    }
  }
}
