package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.routing.RouteDecision;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Responses the mesh answers itself, shaped as a sidecar sends them: redirects, direct responses, injected aborts and
 * circuit-breaker overflows. A reply caused by a failure carries it as a tag of {@code response.request()}
 * (read it with {@link MeshOkHttp#failure}).
 */
final class LocalReplies {
  private static final MediaType TEXT = MediaType.get("text/plain");

  private LocalReplies() {}

  static Response redirect(Request request, RouteDecision.Redirect redirect) {
    return build(request, redirect.status(), "", redirect.responseHeaderMutations(), null)
        .newBuilder().header("location", redirect.location()).build();
  }

  static Response direct(Request request, RouteDecision.DirectResponse direct) {
    return build(request, direct.status(), direct.body().orElse(""), direct.responseHeaderMutations(), null);
  }

  /** The fault filter's abort: the HTTP status, or for gRPC 200 with the status in {@code grpc-status}. */
  static Response abort(Request request, RouteDecision.Abort abort, Failure failure) {
    if (abort.grpcStatus().isPresent()) {
      Response r = build(request, 200, "", List.of(), failure);
      return r.newBuilder().header("content-type", "application/grpc")
          .header("grpc-status", abort.grpcStatus().get().toString())
          .header("grpc-message", "fault filter abort").build();
    }
    return build(request, abort.httpStatus(), "fault filter abort", List.of(), failure);
  }

  /** A request the mesh could not deliver, answered with the failure's status and reason, as a sidecar would. */
  static Response failure(Request request, Failure failure) {
    return build(request, failure.httpStatus(), failure.reason(), List.of(), failure);
  }

  /** A circuit breaker refused the request: 503 with {@code x-envoy-overloaded}, as Envoy answers an overflow. */
  static Response overflow(Request request, Failure failure) {
    return build(request, failure.httpStatus(), "upstream connect error or disconnect/reset before headers. "
        + "reset reason: overflow", List.of(), failure).newBuilder().header("x-envoy-overloaded", "true").build();
  }

  private static Response build(Request request, int status, String body, List<HeaderMutation> mutations,
      @Nullable Failure failure) {
    Request tagged = failure == null ? request : request.newBuilder().tag(Failure.class, failure).build();
    Response.Builder b = new Response.Builder()
        .request(tagged)
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message(reason(status))
        .body(ResponseBody.create(body, TEXT));
    Response r = b.build();
    return r.newBuilder().headers(HeaderEdits.apply(r.headers(), mutations)).build();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
