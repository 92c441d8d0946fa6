package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;

/** Helpers for {@code Any}-typed extension configs: type URLs, {@code TypedStruct} wrappers, decoding. */
final class TypedConfigs {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
  private static final String UDPA_TYPED_STRUCT =
      typeUrl(com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor());
  private static final String XDS_TYPED_STRUCT = typeUrl(com.github.xds.type.v3.TypedStruct.getDescriptor());

  private TypedConfigs() {}

  static String typeUrl(com.google.protobuf.Descriptors.Descriptor descriptor) {
    return TYPE_URL_PREFIX + descriptor.getFullName();
  }

  /**
   * The type URL of the config an {@code Any} carries: its own, or the one inside a {@code TypedStruct} wrapper
   * (how Istio sends configs of its own filters, e.g. {@code io.istio.http.peer_metadata.Config}).
   */
  static String effectiveTypeUrl(Any any) throws XdsValidationException {
    String url = any.getTypeUrl();
    if (UDPA_TYPED_STRUCT.equals(url)) {
      return unpack(any, com.github.udpa.udpa.type.v1.TypedStruct.class).getTypeUrl();
    }
    if (XDS_TYPED_STRUCT.equals(url)) {
      return unpack(any, com.github.xds.type.v3.TypedStruct.class).getTypeUrl();
    }
    return url;
  }

  /** Decodes {@code any}; a failure reads {@code cannot decode Type: ...} with no path of its own. */
  static <T extends Message> T unpack(Any any, Class<T> type) throws XdsValidationException {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw XdsValidationException.of("cannot decode " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A protobuf duration as protojson writes it ({@code 0.025s}), for error messages. */
  static String text(com.google.protobuf.Duration d) {
    return Durations.toString(d);
  }

  /** A {@code java.time.Duration} as protojson writes it, for error messages. */
  static String text(java.time.Duration d) {
    return Durations.toString(com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds()).setNanos(d.getNano()).build());
  }
}
