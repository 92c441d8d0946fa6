package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.Resource;

/**
 * Turns one xDS resource ({@code Any}) into an immutable record, or a path-qualified error. This package is the only
 * place that reads Envoy's resource protos.
 *
 * @param <M> the resource proto
 * @param <T> the record it becomes
 */
public abstract class ResourceParser<M extends Message, T> {
  private static final String RESOURCE_WRAPPER_TYPE_URL =
      "type.googleapis.com/" + Resource.getDescriptor().getFullName();

  private final String kind;
  private final Class<M> protoClass;
  private final String typeUrl;

  protected ResourceParser(String kind, Class<M> protoClass, String typeUrl) {
    this.kind = kind;
    this.protoClass = protoClass;
    this.typeUrl = typeUrl;
  }

  /** The resource kind as users read it in errors: {@code Listener}, {@code Cluster}, ... */
  public final String kind() {
    return kind;
  }

  public final String typeUrl() {
    return typeUrl;
  }

  public final ParseResult<T> parse(Any any) {
    M message;
    try {
      Any body = any;
      if (RESOURCE_WRAPPER_TYPE_URL.equals(any.getTypeUrl())) {
        body = any.unpack(Resource.class).getResource();
      }
      if (!typeUrl.equals(body.getTypeUrl())) {
        return new ParseResult.Unreadable<>(
            kind + ": unexpected type_url '" + body.getTypeUrl() + "', expected '" + typeUrl + "'");
      }
      message = body.unpack(protoClass);
    } catch (InvalidProtocolBufferException e) {
      return new ParseResult.Unreadable<>(kind + ": cannot decode resource: " + e.getMessage());
    }
    String name = nameOf(message);
    try {
      return new ParseResult.Valid<>(name, validate(message));
    } catch (XdsValidationException e) {
      return new ParseResult.Invalid<>(name, kind + " '" + name + "': " + e.getMessage());
    } catch (RuntimeException e) {
      // A record constructor refused a value the parser did not check first: still a NACK, never a crash.
      return new ParseResult.Invalid<>(name, kind + " '" + name + "': " + e.getMessage());
    }
  }

  protected abstract String nameOf(M message);

  /** Validates and converts; throws with a field path relative to the resource. */
  protected abstract T validate(M message) throws XdsValidationException;
}
