package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.engine.TrafficEngine.Decision;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RouteDecision;
import dev.inboard.mesh.upstream.UpstreamCluster;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The application interceptor: translates each request into a {@link RequestInfo} and acts on the decision. */
final class MeshInterceptor implements Interceptor {
  /** Istio's cluster for traffic sent on to its original destination. */
  static final String PASSTHROUGH_CLUSTER = "PassthroughCluster";

  private final Mesh mesh;
  private final OkHttpClient shadowClient;
  private final FailureMode failureMode;

  MeshInterceptor(Mesh mesh, OkHttpClient shadowClient, FailureMode failureMode) {
    this.mesh = mesh;
    this.shadowClient = shadowClient;
    this.failureMode = failureMode;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    try {
      return route(chain);
    } catch (MeshException e) {
      if (failureMode == FailureMode.LOCAL_REPLY) {
        return LocalReplies.failure(chain.request(), e.failure());
      }
      throw e;
    }
  }

  private Response route(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    int port = url.port();
    String hostHeader = request.header("Host");
    String authority = hostHeader != null ? hostHeader : authority(url);
    TrafficEngine engine = mesh.engine();
    if (engine.routeTable(authority, port).isEmpty()) {
      return outsideMesh(chain, authority, port);
    }
    RequestInfo info = RequestInfo.of(request.method(), url.scheme(), authority, pathAndQuery(url),
        new OkHttpHeaders(request.headers()));
    Decision decision = engine.decide(info, port);
    if (decision instanceof Decision.Send send) {
      if (isPassthrough(send.cluster())) {
        engine.finished(send);
        return chain.proceed(request);
      }
      return new ForwardedCall(chain, engine, send, authority, mesh.options().random(), shadowClient).execute();
    }
    if (decision instanceof Decision.Respond respond) {
      return respond(request, respond.route(), authority);
    }
    Failure failure = ((Decision.Fail) decision).failure();
    if ((failure.flag() == ResponseFlag.NC || failure.flag() == ResponseFlag.UH) && routesToPassthrough(info, port)) {
      return chain.proceed(request);
    }
    throw new MeshException(failure);
  }

  private Response outsideMesh(Chain chain, String authority, int port) throws IOException {
    if (mesh.options().outboundPolicy() == MeshOptions.OutboundPolicy.REGISTRY_ONLY) {
      throw new MeshException(new Failure(ResponseFlag.NR, 502, authority + " (port " + port
          + ") is not in the mesh registry and the outbound traffic policy is REGISTRY_ONLY"));
    }
    return chain.proceed(chain.request());
  }

  /**
   * Whether the request's route goes to a passthrough cluster that the engine could not pick a host from (Istio's
   * {@code PassthroughCluster} is ORIGINAL_DST: its destination is the request's own URL, or it is absent from CDS).
   * Asked only after an NC or UH failure; the route is decided again, which for Istio's {@code allow_any} virtual
   * host (one route, one cluster) gives the same answer.
   */
  private boolean routesToPassthrough(RequestInfo info, int port) {
    RouteDecision route = mesh.engine().route(info, port);
    if (!(route instanceof RouteDecision.Forward forward)) {
      return false;
    }
    return forward.cluster().equals(PASSTHROUGH_CLUSTER)
        || mesh.engine().cluster(forward.cluster()).map(MeshInterceptor::isPassthrough).orElse(false);
  }

  private static boolean isPassthrough(UpstreamCluster cluster) {
    return cluster.name().equals(PASSTHROUGH_CLUSTER)
        || cluster.config().lbPolicy() instanceof dev.inboard.mesh.config.LbPolicy.ClusterProvided;
  }

  private static Response respond(Request request, RouteDecision route, String authority) throws IOException {
    if (route instanceof RouteDecision.Redirect redirect) {
      return LocalReplies.redirect(request, redirect);
    }
    if (route instanceof RouteDecision.DirectResponse direct) {
      return LocalReplies.direct(request, direct);
    }
    throw new MeshException(new Failure(ResponseFlag.NR, 404,
        "the route for " + authority + " does not forward (a server-side route) and has no response to send"));
  }

  /**
   * The authority as the client wrote it: host, and the port when it is not the scheme's default. (A {@code Host}
   * header the application set wins, as it does on the wire.)
   */
  static String authority(HttpUrl url) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }

  static String pathAndQuery(HttpUrl url) {
    String query = url.encodedQuery();
    return query == null ? url.encodedPath() : url.encodedPath() + "?" + query;
  }
}
