package dev.inboard.mesh.resilience;

import dev.inboard.mesh.decision.Failure;
import java.util.Objects;

/** The answer of a circuit breaker: a {@link Permit} to release when done, or an overflow to report at once. */
public sealed interface Admission permits Permit, Admission.Rejected {

  /** The limit was reached: fail the request now with UO/503; nothing was queued and nothing needs releasing. */
  record Rejected(Failure failure) implements Admission {
    public Rejected {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
