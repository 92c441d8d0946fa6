package dev.inboard.mesh.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The inbound side of the mesh for a grpc-java server: runs its {@link InboundStage}s in
 * {@link dev.inboard.mesh.inbound.InboundPhase} order
 * ({@code PEER_IDENTITY}, {@code AUTHORIZATION}, {@code TELEMETRY}; stages of one phase in the order added) before
 * the service. Without stages it passes calls through unchanged.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(9080)
 *     .addService(ServerInterceptors.intercept(new ReviewsService(), MeshServerInterceptor.builder().build()))
 *     .build();
 * }</pre>
 */
public final class MeshServerInterceptor implements ServerInterceptor {
  private final List<InboundStage> stages;

  private MeshServerInterceptor(List<InboundStage> stages) {
    this.stages = List.copyOf(stages);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The stages in the order they see a call. */
  public List<InboundStage> stages() {
    return stages;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
      ServerCallHandler<ReqT, RespT> next) {
    ServerCallHandler<ReqT, RespT> handler = next;
    for (int i = stages.size() - 1; i >= 0; i--) {
      InboundStage stage = stages.get(i);
      ServerCallHandler<ReqT, RespT> rest = handler;
      handler = (c, h) -> stage.interceptCall(c, h, rest);
    }
    return handler.startCall(call, headers);
  }

  /** Collects stages; {@link #build} orders them by phase. */
  public static final class Builder {
    private final List<InboundStage> stages = new ArrayList<>();

    private Builder() {}

    public Builder add(InboundStage stage) {
      stages.add(Objects.requireNonNull(stage, "stage"));
      return this;
    }

    public MeshServerInterceptor build() {
      List<InboundStage> ordered = new ArrayList<>(stages);
      ordered.sort(Comparator.comparing(InboundStage::phase)); // stable: one phase keeps the order added
      return new MeshServerInterceptor(ordered);
    }
  }

}
