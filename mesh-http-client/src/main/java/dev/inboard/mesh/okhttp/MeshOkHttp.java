package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.decision.Failure;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Puts an OkHttp client in the mesh.
 *
 * <pre>{@code
 * OkHttpClient client = MeshOkHttp.enable(new OkHttpClient.Builder(), mesh).build();
 * client.newCall(new Request.Builder().url("http://reviews.default.svc.cluster.local:9080/reviews/1").build())
 *     .execute();
 * }</pre>
 *
 * <p>Requests to a host and port the mesh has routes for (a sidecar listener for the port, or an API listener for
 * {@code host:port}) are routed, balanced, retried, timed out, mirrored and fault-injected as a sidecar would; other
 * requests pass through untouched under {@code ALLOW_ANY} and fail under {@code REGISTRY_ONLY}.
 *
 * <p>How outcomes surface: what Envoy answers itself with a meaningful status (redirects, direct responses,
 * injected aborts, circuit-breaker overflow {@code UO}) comes back as a {@link Response}; a request the mesh could not
 * deliver (no route, no cluster, no healthy host, upstream failures after every allowed attempt, the route timeout,
 * a destination outside the registry) throws {@link MeshException}, an {@link java.io.IOException} carrying the
 * {@link Failure} (or, with {@link FailureMode#LOCAL_REPLY}, comes back as the local response a sidecar would send). {@link #failure(Response)} tells a local reply caused by a failure from an upstream's answer.
 *
 * <p>A forwarded request counts against its cluster's {@code max_requests} and its host's active requests until the
 * response body is read to its end or closed, as Envoy counts a stream until it ends: close responses, as OkHttp
 * already requires.
 *
 * <p>The mesh runs as an application interceptor, above OkHttp's own follow-ups: a redirect answered by an upstream
 * is followed by OkHttp to the {@code location} directly, not through the mesh (and with the service's
 * {@code Host}). Clients that talk to mesh services should set {@code followRedirects(false)} and follow redirects
 * themselves; OkHttp's own connection retries ({@code retryOnConnectionFailure}) stay on the host the mesh picked.
 */
public final class MeshOkHttp {
  private MeshOkHttp() {}

  /**
   * Adds the mesh's application interceptor to {@code builder} and returns it. Call it once, after configuring the
   * builder's dispatcher and connection pool: mirrored (shadow) requests go out through a client built from the
   * builder as it stands, without the mesh.
   */
  public static OkHttpClient.Builder enable(OkHttpClient.Builder builder, Mesh mesh) {
    return enable(builder, mesh, FailureMode.EXCEPTION);
  }

  /** As {@link #enable(OkHttpClient.Builder, Mesh)}, with undeliverable requests surfacing as {@code failureMode}. */
  public static OkHttpClient.Builder enable(OkHttpClient.Builder builder, Mesh mesh, FailureMode failureMode) {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(failureMode, "failureMode");
    OkHttpClient shadowClient = builder.build();
    return builder.addInterceptor(new MeshInterceptor(mesh, shadowClient, failureMode));
  }

  /**
   * The failure behind a response the mesh answered locally (fault abort {@code FI}, overflow {@code UO}, and with
   * {@link FailureMode#LOCAL_REPLY} every undeliverable request); empty for an upstream's answer.
   */
  public static Optional<Failure> failure(Response response) {
    return Optional.ofNullable(response.request().tag(Failure.class));
  }
}
