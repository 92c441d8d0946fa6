package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.apiListener;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.grpc.MeshChannel;
import dev.inboard.mesh.grpc.MeshGrpcClient;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link MeshGrpcClient} fields against a real xDS server (java-control-plane) and a real backend on loopback. */
class MeshGrpcClientTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);

  static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("test.Reviews/Who")
      .setRequestMarshaller(STRING)
      .setResponseMarshaller(STRING)
      .build();

  /** Shaped as a grpc-java blocking stub: made by a static {@code newBlockingStub(Channel)}. */
  public static final class ReviewsBlockingStub {
    final Channel channel;

    private ReviewsBlockingStub(Channel channel) {
      this.channel = channel;
    }

    public static ReviewsBlockingStub newBlockingStub(Channel channel) {
      return new ReviewsBlockingStub(channel);
    }

    String who() {
      return ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          "who");
    }
  }

  static class ProductPage {
    @MeshGrpcClient("reviews:9080")
    ReviewsBlockingStub reviews;
  }

  static class Details {
    @MeshGrpcClient("reviews:9080")
    private ReviewsBlockingStub reviews;
  }

  static class Ratings {
    final ReviewsBlockingStub reviews;

    Ratings(@MeshGrpcClient("reviews:9080") ReviewsBlockingStub reviews) {
      this.reviews = reviews;
    }
  }

  static class Misdeclared {
    @MeshGrpcClient("reviews:9080")
    String reviews;
  }

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  Server controlPlane;
  Server backend;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshGrpcAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()));

  @BeforeEach
  void startServers() throws Exception {
    backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("test.Reviews")
            .addMethod(WHO, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
              out.onNext("reviews-v1");
              out.onCompleted();
            }))
            .build())
        .build()
        .start();
    cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1)),
        List.of(endpoints(V1, "127.0.0.1:" + backend.getPort())),
        List.of(sidecarListener(9080, "9080"), apiListener(HOST + ":9080", "9080")),
        List.of(routeTo("9080", "*", V1)), List.of(), "1"));
    controlPlane = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  @AfterEach
  void stopServers() {
    controlPlane.shutdownNow();
    backend.shutdownNow();
  }

  private ApplicationContextRunner withControlPlane() {
    return runner.withPropertyValues("mesh.control-plane=127.0.0.1:" + controlPlane.getPort(),
        "mesh.wait-for-config=10s");
  }

  @Test
  void annotatedField_stubOnAMeshChannelForTheTarget_callsReachTheBackend() {
    withControlPlane().withBean(ProductPage.class).run(context -> {
      assertThat(context).hasNotFailed();
      ReviewsBlockingStub stub = context.getBean(ProductPage.class).reviews;

      assertThat(stub.channel).isInstanceOfSatisfying(MeshChannel.class,
          channel -> assertThat(channel.target().authority()).isEqualTo("reviews:9080"));
      assertThat(stub.who()).isEqualTo("reviews-v1");
    });
  }

  @Test
  void twoBeansSameTarget_shareOneChannel_shutDownWithTheContext() {
    MeshChannel[] shared = new MeshChannel[1];
    withControlPlane().withBean(ProductPage.class).withBean(Details.class).run(context -> {
      Channel a = context.getBean(ProductPage.class).reviews.channel;
      Channel b = context.getBean(Details.class).reviews.channel;

      assertThat(a).isSameAs(b);
      shared[0] = (MeshChannel) a;
      assertThat(shared[0].isShutdown()).isFalse();
    });
    assertThat(shared[0].isShutdown()).isTrue();
  }

  @Test
  void annotatedConstructorParameter_stubOnTheSharedChannel_callsReachTheBackend() {
    withControlPlane().withBean(Ratings.class).withBean(ProductPage.class).run(context -> {
      assertThat(context).hasNotFailed();
      ReviewsBlockingStub stub = context.getBean(Ratings.class).reviews;

      assertThat(stub.channel).isInstanceOf(MeshChannel.class)
          .isSameAs(context.getBean(ProductPage.class).reviews.channel);
      assertThat(stub.who()).isEqualTo("reviews-v1");
    });
  }

  @Test
  void annotatedFieldNotAStub_contextFailsNamingTheField() {
    withControlPlane().withBean(Misdeclared.class).run(context -> assertThat(context).hasFailed()
        .getFailure().rootCause().hasMessage("java.lang.String is not a grpc-java stub type: neither it nor its "
            + "enclosing class has a static newBlockingStub, newStub or newFutureStub(io.grpc.Channel) returning it"));
  }

  @Test
  void withoutMeshGrpc_noPostProcessor() {
    withControlPlane().withClassLoader(new FilteredClassLoader(MeshChannel.class))
        .run(context -> assertThat(context).doesNotHaveBean(MeshGrpcClientPostProcessor.class));
  }
}
