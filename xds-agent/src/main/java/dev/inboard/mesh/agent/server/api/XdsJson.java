package dev.inboard.mesh.agent.server.api;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * xDS resources as protojson (what {@code istioctl proxy-config -o json} shows), with the typed configs istiod
 * emits (HCM, router, TLS contexts, RBAC, fault, CORS, load-balancing policies, ...) printed in full. A typed config
 * of a type not known here prints as a {@code Struct} naming the type instead of failing the whole resource.
 */
public final class XdsJson {
  /** The types {@code Any} fields may hold in generated xDS; each brings its file and its dependencies. */
  public static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(List.of(
          io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor(),
          io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor(),
          io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor(),
          io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.network.sni_cluster.v3.SniCluster.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.stateful_session.v3.StatefulSession.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.composite.v3.Composite.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.header_to_metadata.v3.Config.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.http.gcp_authn.v3.GcpAuthnFilterConfig.getDescriptor(),
          io.envoyproxy.envoy.extensions.http.stateful_session.cookie.v3.CookieBasedSessionState.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
          io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.tcp_stats.v3.Config.getDescriptor(),
          io.envoyproxy.envoy.extensions.transport_sockets.internal_upstream.v3.InternalUpstreamTransport
              .getDescriptor(),
          io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor(),
          io.envoyproxy.envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality.getDescriptor(),
          io.envoyproxy.envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3
              .ClientSideWeightedRoundRobin.getDescriptor(),
          io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig.getDescriptor(),
          io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
          com.github.xds.type.v3.TypedStruct.getDescriptor(),
          com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor()))
      .build();

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES).ignoringUnknownFields();

  private XdsJson() {}

  /** The resource as pretty protojson. */
  public static String print(Message resource) {
    try {
      return PRINTER.print(resource);
    } catch (InvalidProtocolBufferException e) {
      try {
        return PRINTER.print(withUnknownTypesDescribed(resource));
      } catch (InvalidProtocolBufferException still) {
        throw new IllegalStateException("cannot print " + resource.getDescriptorForType().getFullName()
            + " as JSON: " + still.getMessage(), still);
      }
    }
  }

  /** Reads protojson into {@code builder} (unknown fields ignored). */
  public static <B extends Message.Builder> B parse(String json, B builder) throws InvalidProtocolBufferException {
    PARSER.merge(json, builder);
    return builder;
  }

  /** A copy in which every {@code Any} of an unknown type is a {@code Struct} naming that type. */
  static Message withUnknownTypesDescribed(Message message) {
    if (message instanceof Any any) {
      return describeAny(any);
    }
    Message.Builder builder = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor fd = field.getKey();
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (fd.isRepeated()) {
        List<Object> copies = new ArrayList<>();
        for (Object element : (List<?>) field.getValue()) {
          copies.add(withUnknownTypesDescribed((Message) element));
        }
        builder.setField(fd, copies);
      } else {
        builder.setField(fd, withUnknownTypesDescribed((Message) field.getValue()));
      }
    }
    return builder.build();
  }

  private static Message describeAny(Any any) {
    String typeName = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    @Nullable Descriptor descriptor = TYPES.find(typeName);
    if (descriptor == null) {
      return Any.pack(Struct.newBuilder()
          .putFields("@type", Value.newBuilder().setStringValue(any.getTypeUrl()).build())
          .putFields("unknownType", Value.newBuilder()
              .setStringValue("not shown: the type is unknown to meshctl").build())
          .build());
    }
    try {
      Message inner = DynamicMessage.parseFrom(descriptor, any.getValue());
      Message described = withUnknownTypesDescribed(inner);
      return Any.newBuilder().setTypeUrl(any.getTypeUrl()).setValue(described.toByteString()).build();
    } catch (InvalidProtocolBufferException e) {
      return any;
    }
  }
}
