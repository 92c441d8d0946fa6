package dev.inboard.mesh.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback gRPC server for {@code test.Reviews/Who}, answering its name. A behaviour can fail calls, or hold them
 * until the test releases them.
 */
final class Backend implements AutoCloseable {
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

  static final MethodDescriptor<String, String> LIST = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
      .setFullMethodName("test.Reviews/List")
      .setRequestMarshaller(STRING)
      .setResponseMarshaller(STRING)
      .build();

  /** What the backend does with call number {@code n} (from 1). */
  interface Behaviour {
    /** Null: answer the name; a status: fail with it; {@link #HOLD}: never answer (until the server stops). */
    Status apply(int n);
  }

  static final Status HOLD = Status.UNKNOWN.withDescription("hold");

  final String name;
  private final Server server;
  final AtomicInteger calls = new AtomicInteger();
  final List<StreamObserver<String>> held = new CopyOnWriteArrayList<>();
  /** The request headers of every call, in arrival order. */
  final List<Metadata> headers = new CopyOnWriteArrayList<>();
  /** The {@code :authority} of every call, in arrival order. */
  final List<String> authorities = new CopyOnWriteArrayList<>();

  Backend(String name, Behaviour behaviour) throws IOException {
    this.name = name;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .intercept(new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata h,
              ServerCallHandler<ReqT, RespT> next) {
            headers.add(h);
            authorities.add(String.valueOf(call.getAuthority()));
            return next.startCall(call, h);
          }
        })
        .addService(ServerServiceDefinition.builder("test.Reviews")
            .addMethod(WHO, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
              Status status = behaviour.apply(calls.incrementAndGet());
              if (status == HOLD) {
                held.add(out);
              } else if (status != null) {
                out.onError(status.asRuntimeException());
              } else {
                out.onNext(name);
                out.onCompleted();
              }
            }))
            .addMethod(LIST, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> out) -> {
              for (int i = 1; i <= 3; i++) {
                out.onNext(name + "#" + i);
              }
              out.onCompleted();
            }))
            .build())
        .build()
        .start();
  }

  static Backend answering(String name) throws IOException {
    return new Backend(name, n -> null);
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Answers every held call. */
  void release() {
    for (StreamObserver<String> out : held) {
      out.onNext(name);
      out.onCompleted();
    }
    held.clear();
  }

  /** A blocking unary call of {@code Who} on {@code channel}. */
  static String who(io.grpc.Channel channel, io.grpc.CallOptions options) {
    return ClientCalls.blockingUnaryCall(channel, WHO, options, "who");
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
