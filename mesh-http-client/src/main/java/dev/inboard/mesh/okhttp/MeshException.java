package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.decision.Failure;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The mesh did not deliver the request: no route ({@code NR}), no cluster ({@code NC}), no healthy upstream
 * ({@code UH}), the upstream failed after every allowed attempt ({@code UF}, {@code UC}, {@code URX}), the route
 * timeout expired ({@code UT}), or the destination is outside the registry under {@code REGISTRY_ONLY}. It is an
 * {@link IOException} because OkHttp and its callers treat exactly those as "the request did not get through"
 * (callbacks' {@code onFailure}, {@code retryOnConnectionFailure}); {@link #failure()} carries Envoy's response flag,
 * the status a sidecar would have answered, and the reason.
 */
public class MeshException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  public MeshException(Failure failure) {
    this(failure, null);
  }

  public MeshException(Failure failure, @Nullable Throwable cause) {
    super(failure.toString(), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
