package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/**
 * Builds listener and route configuration protos from protojson text, with every {@code Any} type the LDS/RDS tests
 * use registered. Istio's own filter configs ({@code stats.PluginConfig}, the TCP metadata exchange) have no Java
 * classes here, so empty stand-in descriptors with their real names let the JSON carry their real type URLs.
 */
final class LdsRdsProtoJson {
  private static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder()
      .add(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          .getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.http.stateful_session.v3.StatefulSession.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig.getDescriptor())
      .add(io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate.getDescriptor())
      .add(io.envoyproxy.envoy.config.trace.v3.ZipkinConfig.getDescriptor())
      .add(io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor())
      .add(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor())
      .add(io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor())
      .add(com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor())
      .add(com.github.xds.type.v3.TypedStruct.getDescriptor())
      .add(standIn("stats", "PluginConfig"))
      .add(standIn("envoy.tcp.metadataexchange.config", "MetadataExchange"))
      .build();

  private LdsRdsProtoJson() {}

  static Listener listener(String json) {
    return parse(json, Listener.newBuilder()).build();
  }

  static RouteConfiguration routeConfiguration(String json) {
    return parse(json, RouteConfiguration.newBuilder()).build();
  }

  static Listener listener(Any any) {
    try {
      return any.unpack(Listener.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Any message of the LDS/RDS family, e.g. a {@code RouteMatch} for focused tests. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M message(String json, Message.Builder builder) {
    return (M) parse(json, builder).build();
  }

  static Any listenerAny(String json) {
    return Any.pack(listener(json));
  }

  static Any routeConfigurationAny(String json) {
    return Any.pack(routeConfiguration(json));
  }

  private static <B extends Message.Builder> B parse(String json, B builder) {
    try {
      JsonFormat.parser().usingTypeRegistry(REGISTRY).merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("bad test JSON: " + e.getMessage(), e);
    }
  }

  private static Descriptor standIn(String pkg, String message) {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName(pkg.replace('.', '/') + "/stand_in.proto")
        .setPackage(pkg)
        .setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName(message))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName(message);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }
}
