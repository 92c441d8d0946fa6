package dev.inboard.mesh.xds;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.inboard.mesh.bootstrap.NodeInfo;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.Map;

/** The node this workload announces on the ADS stream, from the bootstrap's {@link NodeInfo}. */
final class NodeProtos {
  /** We accept resources wrapped in {@code envoy.service.discovery.v3.Resource} in SotW responses too. */
  static final String RESOURCE_IN_SOTW = "xds.config.resource-in-sotw";

  private NodeProtos() {}

  static Node toProto(NodeInfo node) {
    Node.Builder b = Node.newBuilder()
        .setId(node.id())
        .setCluster(node.cluster())
        .setMetadata(struct(node.metadata()))
        .setUserAgentName(node.userAgentName())
        .setUserAgentVersion(node.userAgentVersion())
        .addClientFeatures(RESOURCE_IN_SOTW);
    NodeInfo.Locality l = node.locality();
    if (!l.isEmpty()) {
      b.setLocality(Locality.newBuilder().setRegion(l.region()).setZone(l.zone()).setSubZone(l.subZone()));
    }
    return b.build();
  }

  private static Struct struct(Map<String, ?> map) {
    Struct.Builder s = Struct.newBuilder();
    map.forEach((k, v) -> s.putFields(k, value(v)));
    return s.build();
  }

  private static Value value(Object v) {
    if (v instanceof String str) {
      return Value.newBuilder().setStringValue(str).build();
    }
    if (v instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    if (v instanceof Map<?, ?> m) {
      Struct.Builder s = Struct.newBuilder();
      m.forEach((k, val) -> s.putFields(String.valueOf(k), value(val)));
      return Value.newBuilder().setStructValue(s).build();
    }
    if (v instanceof List<?> list) {
      ListValue.Builder l = ListValue.newBuilder();
      list.forEach(item -> l.addValues(value(item)));
      return Value.newBuilder().setListValue(l).build();
    }
    return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
  }
}
