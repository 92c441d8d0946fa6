package dev.inboard.mesh.grpc;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeshStubsTest {
  /** Shaped as grpc-java generates: stubs nested in the service class, which has the static factories. */
  static final class ReviewsGrpc {
    static final class ReviewsBlockingStub {
      final Channel channel;

      ReviewsBlockingStub(Channel channel) {
        this.channel = channel;
      }
    }

    static final class ReviewsFutureStub {
      final Channel channel;

      ReviewsFutureStub(Channel channel) {
        this.channel = channel;
      }
    }

    public static ReviewsBlockingStub newBlockingStub(Channel channel) {
      return new ReviewsBlockingStub(channel);
    }

    public static ReviewsFutureStub newFutureStub(Channel channel) {
      return new ReviewsFutureStub(channel);
    }
  }

  /** A stub with its own static factory. */
  public static final class SelfMadeStub {
    final Channel channel;

    private SelfMadeStub(Channel channel) {
      this.channel = channel;
    }

    public static SelfMadeStub newBlockingStub(Channel channel) {
      return new SelfMadeStub(channel);
    }
  }

  private static final Channel CHANNEL = new Channel() {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> m, CallOptions o) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String authority() {
      return "reviews:9080";
    }
  };

  @Test
  void forType_generatedShape_usesTheEnclosingClassFactoryForThatStub() {
    assertThat(MeshStubs.forType(CHANNEL, ReviewsGrpc.ReviewsBlockingStub.class).channel).isSameAs(CHANNEL);
    assertThat(MeshStubs.forType(CHANNEL, ReviewsGrpc.ReviewsFutureStub.class).channel).isSameAs(CHANNEL);
  }

  @Test
  void forType_stubWithOwnFactory_usesIt() {
    assertThat(MeshStubs.forType(CHANNEL, SelfMadeStub.class).channel).isSameAs(CHANNEL);
  }

  @Test
  void create_meshTarget_stubOnAMeshChannelToTheTarget() throws Exception {
    Backend v1 = Backend.answering("v1");
    String cluster = clusterName(9080, "v1", MeshHarness.HOST);
    try (v1; MeshHarness mesh = MeshHarness.start(
        List.of(edsCluster(cluster)),
        List.of(endpoints(cluster, v1.address())),
        Routes.of(Routes.to(cluster).build()))) {
      SelfMadeStub stub = MeshStubs.create(mesh.mesh, "reviews:9080", SelfMadeStub::newBlockingStub);

      assertThat(stub.channel).isInstanceOfSatisfying(MeshChannel.class,
          c -> assertThat(c.target().authority()).isEqualTo("reviews:9080"));
      assertThat(Backend.who(stub.channel, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)))
          .isEqualTo("v1");
      ((MeshChannel) stub.channel).shutdownNow();
    }
  }

  @Test
  void forType_notAStub_rejectedNamingTheType() {
    assertThatThrownBy(() -> MeshStubs.forType(CHANNEL, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("java.lang.String is not a grpc-java stub type: neither it nor its enclosing class has a "
            + "static newBlockingStub, newStub or newFutureStub(io.grpc.Channel) returning it");
  }
}
