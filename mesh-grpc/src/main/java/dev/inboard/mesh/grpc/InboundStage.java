package dev.inboard.mesh.grpc;

import dev.inboard.mesh.inbound.InboundPhase;
import io.grpc.ServerInterceptor;

/**
 * One step of a server's inbound chain, run by {@link MeshServerInterceptor} in {@link InboundPhase} order (the
 * phases every server adapter shares): who the peer is, then whether it may call, then what to record. A stage is a
 * {@link ServerInterceptor}: it may answer the call itself (e.g. {@code PERMISSION_DENIED}) or pass it on to the next
 * stage.
 */
public interface InboundStage extends ServerInterceptor {

  /** Where in the chain this stage runs. */
  InboundPhase phase();
}
