package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/** Our own client's parsers as the judge of generated xDS, and protojson for expected resources. */
final class XdsAssertions {
  static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(List.of(UpstreamTlsContext.getDescriptor(), RawBuffer.getDescriptor(),
          com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor(), HttpProtocolOptions.getDescriptor(),
          CaresDnsResolverConfig.getDescriptor()))
      .build();

  private XdsAssertions() {}

  static ClusterConfig validCluster(Cluster c) {
    ParseResult<ClusterConfig> result = new ClusterParser().parse(Any.pack(c));
    assertThat(result).as("cluster %s", c.getName()).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ClusterConfig>) result).resource();
  }

  static EndpointsConfig validEndpoints(ClusterLoadAssignment cla) {
    ParseResult<EndpointsConfig> result = new ClusterLoadAssignmentParser().parse(Any.pack(cla));
    assertThat(result).as("assignment %s", cla.getClusterName()).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<EndpointsConfig>) result).resource();
  }

  static <T extends Message> T json(String json, Message.Builder builder) {
    try {
      JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("bad expected JSON: " + e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    T built = (T) builder.build();
    return built;
  }

  static String print(Message m) {
    try {
      return JsonFormat.printer().usingTypeRegistry(TYPES).print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static Cluster named(List<Cluster> clusters, String name) {
    return clusters.stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name + " in " + clusters.stream().map(Cluster::getName)
            .toList()));
  }

  static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
