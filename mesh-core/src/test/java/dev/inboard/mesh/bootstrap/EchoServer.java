package dev.inboard.mesh.bootstrap;

import dev.inboard.mesh.testing.TestPki;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real gRPC server with one hand-registered unary method that echoes and records what each call carried. */
final class EchoServer implements AutoCloseable {
  static final String SERVICE = "inboard.test.Echo";

  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
          .setRequestMarshaller(new Utf8())
          .setResponseMarshaller(new Utf8())
          .build();

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Metadata.Key<String> CLUSTER_ID =
      Metadata.Key.of("clusterid", Metadata.ASCII_STRING_MARSHALLER);

  /** What one call arrived with. */
  record Seen(Optional<String> authority, Optional<String> authorization, Optional<String> clusterId) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Server server;
  private final List<EventLoopGroup> groups;

  private EchoServer(NettyServerBuilder builder, List<EventLoopGroup> groups) {
    this.groups = groups;
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      response.onNext("echo: " + request);
                      response.onCompleted();
                    }))
            .build();
    try {
      this.server = builder.addService(ServerInterceptors.intercept(echo, new Recorder())).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EchoServer plaintext() {
    return tcp(InsecureServerCredentials.create());
  }

  static EchoServer tls(TestPki.KeyFiles keys) {
    try {
      return tcp(TlsServerCredentials.create(keys.certificateChain().toFile(), keys.privateKey().toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EchoServer unix(Path socket) {
    EventLoopGroup boss = new EpollEventLoopGroup(1);
    EventLoopGroup worker = new EpollEventLoopGroup(1);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()), InsecureServerCredentials.create())
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(worker);
    return new EchoServer(builder, List.of(boss, worker));
  }

  private static EchoServer tcp(ServerCredentials credentials) {
    return new EchoServer(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials), List.of());
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** The calls received so far, in order. */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** One blocking echo call with a deadline. */
  static String call(Channel channel, String message) {
    return ClientCalls.blockingUnaryCall(
        channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), message);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(10, TimeUnit.SECONDS);
    for (EventLoopGroup group : groups) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      seen.add(
          new Seen(
              Optional.ofNullable(call.getAuthority()),
              Optional.ofNullable(headers.get(AUTHORIZATION)),
              Optional.ofNullable(headers.get(CLUSTER_ID))));
      return next.startCall(call, headers);
    }
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
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
  }
}
