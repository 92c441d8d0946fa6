package dev.inboard.mesh.lb;

import dev.inboard.mesh.decision.Failure;
import java.util.Objects;

/** The outcome of a pick: the chosen {@link Host} itself (no allocation per pick), or why there is none. */
public sealed interface PickResult permits Host, PickResult.NoHost {

  /** No endpoint can take the request; {@code failure} carries UH, 503 and the reason. */
  record NoHost(Failure failure) implements PickResult {
    public NoHost {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
