package dev.inboard.mesh.bench;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import java.util.List;
import java.util.Map;

/** Building blocks istiod repeats across resources: config sources, structs, opaque filter configs. */
final class IstioProtos {
  private IstioProtos() {}

  static final Duration ZERO = seconds(0);

  static Duration seconds(long seconds) {
    return Duration.newBuilder().setSeconds(seconds).build();
  }

  /** {@code {ads: {}, initial_fetch_timeout: 0s, resource_api_version: V3}}, istiod's source for EDS and RDS. */
  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setInitialFetchTimeout(ZERO)
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  /** The SDS source every sidecar secret comes from: the agent's {@code sds-grpc} cluster. */
  static ConfigSource sds() {
    return ConfigSource.newBuilder()
        .setApiConfigSource(ApiConfigSource.newBuilder()
            .setApiType(ApiConfigSource.ApiType.GRPC)
            .setTransportApiVersion(ApiVersion.V3)
            .addGrpcServices(GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName("sds-grpc")))
            .setSetNodeOnFirstMessageOnly(true))
        .setInitialFetchTimeout(ZERO)
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  /** A {@code google.protobuf.Struct} from strings, numbers, lists and nested maps. */
  static Struct struct(Map<String, ?> fields) {
    Struct.Builder b = Struct.newBuilder();
    fields.forEach((k, v) -> b.putFields(k, value(v)));
    return b.build();
  }

  private static Value value(Object v) {
    if (v instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (v instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (v instanceof List<?> list) {
      ListValue.Builder lb = ListValue.newBuilder();
      list.forEach(e -> lb.addValues(value(e)));
      return Value.newBuilder().setListValue(lb).build();
    }
    if (v instanceof Map<?, ?> map) {
      Struct.Builder sb = Struct.newBuilder();
      map.forEach((k, e) -> sb.putFields((String) k, value(e)));
      return Value.newBuilder().setStructValue(sb).build();
    }
    throw new IllegalArgumentException("unsupported struct value " + v);
  }

  /**
   * An {@code Any} of a message type that has no Java class here (Istio's own filter configs), carrying the given
   * encoded body under its real type URL.
   */
  static Any opaque(String typeName, ByteString body) {
    return Any.newBuilder().setTypeUrl("type.googleapis.com/" + typeName).setValue(body).build();
  }

  /** A config of Istio's own filters, wrapped the way istiod sends them: {@code udpa.type.v1.TypedStruct}. */
  static Any typedStruct(String typeName, Map<String, ?> value) {
    return Any.pack(com.github.udpa.udpa.type.v1.TypedStruct.newBuilder()
        .setTypeUrl("type.googleapis.com/" + typeName)
        .setValue(struct(value))
        .build());
  }

  /** A length-delimited string field, for hand-encoding small opaque configs. */
  static ByteString stringField(int field, String value) {
    ByteString bytes = ByteString.copyFromUtf8(value);
    return ByteString.copyFrom(new byte[] {(byte) (field << 3 | 2), (byte) bytes.size()}).concat(bytes);
  }
}
