package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Filter;
import java.util.List;

/** The {@code istio} filter metadata istiod puts on clusters, and the metadata-exchange cluster filter. */
final class ClusterMetadata {
  static final String ISTIO = "istio";
  private static final String MX_TYPE_URL = "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange";

  /** istiod's {@code istio.metadata_exchange} network filter on outbound clusters, as a typed struct. */
  static final Filter METADATA_EXCHANGE = Filter.newBuilder()
      .setName("istio.metadata_exchange")
      .setTypedConfig(Any.pack(com.github.udpa.udpa.type.v1.TypedStruct.newBuilder()
          .setTypeUrl(MX_TYPE_URL)
          .setValue(Struct.newBuilder()
              .putFields("protocol", str("istio-peer-exchange"))
              .putFields("enable_discovery", Value.newBuilder().setBoolValue(true).build()))
          .build()))
      .build();

  private ClusterMetadata() {}

  /** {@code services: [{host, name, namespace}]}: the services a cluster is for (telemetry labels). */
  static void services(Cluster.Builder c, List<MeshService> services) {
    ListValue.Builder list = ListValue.newBuilder();
    for (MeshService s : services) {
      list.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("host", str(s.hostname()))
          .putFields("name", str(SidecarScope.isKubernetes(s) ? s.shortName() : s.hostname()))
          .putFields("namespace", str(s.namespace()))));
    }
    put(c, "services", Value.newBuilder().setListValue(list).build());
  }

  /** {@code config: /apis/networking.istio.io/v1/namespaces/NS/destination-rule/NAME}. */
  static void config(Cluster.Builder c, ConfigResource<?> rule) {
    put(c, "config", str("/apis/networking.istio.io/v1/namespaces/" + rule.namespace() + "/destination-rule/"
        + rule.name()));
  }

  static void put(Cluster.Builder c, String key, Value value) {
    Struct.Builder istio = c.getMetadataBuilder().getFilterMetadataOrDefault(ISTIO, Struct.getDefaultInstance())
        .toBuilder();
    istio.putFields(key, value);
    c.getMetadataBuilder().putFilterMetadata(ISTIO, istio.build());
  }

  static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
