package dev.inboard.mesh.okhttp;

/** How a request the mesh could not deliver surfaces to the application. */
public enum FailureMode {
  /**
   * Throw {@link MeshException}, an {@link java.io.IOException}: OkHttp's idiom for "the request did not get
   * through", which callers already handle. The default.
   */
  EXCEPTION,
  /**
   * Answer as a sidecar would: a local response with the failure's status (503 for {@code UH}/{@code UF}/{@code NC},
   * 404 for {@code NR}, 504 for {@code UT}, ...) and its reason as the body, for applications written against a
   * sidecar. {@link MeshOkHttp#failure} still tells it apart from an upstream's answer.
   */
  LOCAL_REPLY
}
