package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.routing.RouteDecision;
import dev.inboard.mesh.routing.ShadowAuthority;
import dev.inboard.mesh.upstream.UpstreamCluster;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow copies of one unary call, as Envoy's request mirror policies send them: fire and forget, to a host of
 * each mirror cluster, with {@code -shadow} appended to the authority's host unless the policy disables it. Nothing
 * a shadow does (no host, an exception, its response or status) reaches the caller's call.
 */
final class MirrorCalls<ReqT, RespT> {
  private static final Logger log = LoggerFactory.getLogger(MirrorCalls.class);

  private final List<ClientCall<ReqT, RespT>> calls;

  private MirrorCalls(List<ClientCall<ReqT, RespT>> calls) {
    this.calls = calls;
  }

  /**
   * Starts one shadow call per mirror of {@code route} that has a host; {@code headers} are the request's outbound
   * headers (after the route's mutations) and {@code authority} the request's authority.
   */
  static <ReqT, RespT> MirrorCalls<ReqT, RespT> start(MeshChannel channel, MethodDescriptor<ReqT, RespT> method,
      CallOptions options, RouteDecision.Forward route, String authority, Metadata headers) {
    if (route.mirrors().isEmpty()) {
      return new MirrorCalls<>(List.of());
    }
    List<ClientCall<ReqT, RespT>> calls = new ArrayList<>(route.mirrors().size());
    for (MirrorPolicy mirror : route.mirrors()) {
      try {
        Optional<UpstreamCluster> cluster = channel.engine().cluster(mirror.cluster());
        if (cluster.isEmpty()) {
          log.debug("mirror cluster {} not found; no shadow sent", mirror.cluster());
          continue;
        }
        PickResult pick = cluster.get().pick(route.pickRequest());
        if (!(pick instanceof Host host)) {
          log.debug("mirror cluster {} has no host; no shadow sent", mirror.cluster());
          continue;
        }
        String shadowAuthority = mirror.disableShadowHostSuffixAppend() ? authority : ShadowAuthority.of(authority);
        Metadata shadowHeaders = new Metadata();
        shadowHeaders.merge(headers);
        ClientCall<ReqT, RespT> call = channel.endpoints().get(host.address())
            .newCall(method, options.withAuthority(shadowAuthority));
        host.requestStarted();
        call.start(new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            host.requestFinished();
          }
        }, shadowHeaders);
        calls.add(call);
      } catch (RuntimeException e) {
        log.debug("shadow to mirror cluster {} not sent", mirror.cluster(), e);
      }
    }
    return new MirrorCalls<>(calls);
  }

  /** Applies what the application did on the call (request, send, half-close) to every shadow. */
  void apply(Consumer<ClientCall<ReqT, RespT>> op) {
    for (ClientCall<ReqT, RespT> call : calls) {
      try {
        op.accept(call);
      } catch (RuntimeException e) {
        log.debug("shadow call failed", e);
      }
    }
  }
}
