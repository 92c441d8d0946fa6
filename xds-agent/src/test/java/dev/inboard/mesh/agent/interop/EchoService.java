package dev.inboard.mesh.agent.interop;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A one-method gRPC service without generated code: {@code inboard.interop.Echo/Name} takes a string and answers
 * with the name of the backend that served it.
 */
final class EchoService {
  static final String SERVICE = "inboard.interop.Echo";

  static final MethodDescriptor<String, String> NAME = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Name"))
      .setRequestMarshaller(Utf8.INSTANCE)
      .setResponseMarshaller(Utf8.INSTANCE)
      .build();

  private EchoService() {}

  /** The service answering every call with {@code name}. */
  static ServerServiceDefinition named(String name) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(NAME, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(name);
          response.onCompleted();
        }))
        .build();
  }

  /** One blocking call with {@code headers} as request metadata; the answering backend's name. */
  static String call(Channel channel, Map<String, String> headers) {
    Metadata metadata = new Metadata();
    headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    return ClientCalls.blockingUnaryCall(withHeaders, NAME,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS).withWaitForReady(), "who");
  }

  /** UTF-8 text as a message. */
  private enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

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
