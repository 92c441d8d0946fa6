package dev.inboard.mesh.inbound;

import java.util.Objects;

/** What a stage decides about a request: let it continue along the chain, or answer it now. */
public sealed interface InboundVerdict {

  /** The request goes on to the next stage, and after the last to the application. */
  static InboundVerdict proceed() {
    return Proceed.INSTANCE;
  }

  /** The chain stops here and the peer receives {@code response}; the application never sees the request. */
  static InboundVerdict reject(InboundResponse response) {
    return new Reject(response);
  }

  /** Continue. */
  enum Proceed implements InboundVerdict {
    INSTANCE
  }

  /** Answer with {@code response}. */
  record Reject(InboundResponse response) implements InboundVerdict {
    public Reject {
      Objects.requireNonNull(response, "response");
    }
  }
}
