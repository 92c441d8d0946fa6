package dev.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.inbound.InboundPhase;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshServerInterceptorTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private record Recording(String name, InboundPhase phase, List<String> seen, boolean deny) implements InboundStage {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      seen.add(name);
      if (deny) {
        call.close(Status.PERMISSION_DENIED.withDescription("RBAC: access denied"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private String call(MeshServerInterceptor interceptor) throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Reviews")
        .addMethod(Backend.WHO, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
          seen.add("service");
          out.onNext("v1");
          out.onCompleted();
        }))
        .build();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, interceptor)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return Backend.who(channel, CallOptions.DEFAULT);
  }

  @Test
  void stages_addedOutOfOrder_runPeerIdentityThenAuthorizationThenTelemetry() throws Exception {
    MeshServerInterceptor interceptor = MeshServerInterceptor.builder()
        .add(new Recording("telemetry", InboundPhase.TELEMETRY, seen, false))
        .add(new Recording("authz", InboundPhase.AUTHORIZATION, seen, false))
        .add(new Recording("peer", InboundPhase.PEER_IDENTITY, seen, false))
        .add(new Recording("authz-2", InboundPhase.AUTHORIZATION, seen, false))
        .build();

    assertThat(call(interceptor)).isEqualTo("v1");
    assertThat(seen).containsExactly("peer", "authz", "authz-2", "telemetry", "service");
    assertThat(interceptor.stages()).extracting(InboundStage::phase).containsExactly(
        InboundPhase.PEER_IDENTITY, InboundPhase.AUTHORIZATION, InboundPhase.AUTHORIZATION,
        InboundPhase.TELEMETRY);
  }

  @Test
  void authorizationDenies_laterStagesAndTheServiceNeverRun() throws Exception {
    MeshServerInterceptor interceptor = MeshServerInterceptor.builder()
        .add(new Recording("telemetry", InboundPhase.TELEMETRY, seen, false))
        .add(new Recording("authz", InboundPhase.AUTHORIZATION, seen, true))
        .add(new Recording("peer", InboundPhase.PEER_IDENTITY, seen, false))
        .build();

    assertThatThrownBy(() -> call(interceptor)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(seen).containsExactly("peer", "authz");
  }

  @Test
  void noStages_passesCallsThrough() throws Exception {
    assertThat(call(MeshServerInterceptor.builder().build())).isEqualTo("v1");
    assertThat(seen).containsExactly("service");
  }
}
