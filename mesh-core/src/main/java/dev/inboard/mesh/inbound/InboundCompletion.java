package dev.inboard.mesh.inbound;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an inbound exchange ended.
 *
 * @param status the HTTP status the peer received (the chain's own when it rejected the request); 0 when the peer
 *     went away before a response, as Envoy logs a downstream disconnect
 * @param duration from the start of the chain to the end of the response, measured on the chain's clock
 * @param rejectedIn the phase of the stage that answered the request itself; empty when the application answered
 */
public record InboundCompletion(int status, Duration duration, Optional<InboundPhase> rejectedIn) {
  public InboundCompletion {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(rejectedIn, "rejectedIn");
  }

  /** Whether a stage of the chain answered instead of the application. */
  public boolean rejected() {
    return rejectedIn.isPresent();
  }
}
