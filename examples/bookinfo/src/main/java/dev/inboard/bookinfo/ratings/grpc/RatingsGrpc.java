package dev.inboard.bookinfo.ratings.grpc;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * The grpc-java binding of {@code bookinfo.ratings.v1.Ratings} (ratings.proto): its method descriptor, a blocking
 * stub ({@link #newBlockingStub}, what {@code @MeshGrpcClient} fields take) and a service base class. Written by
 * hand in the shape protoc-gen-grpc-java generates, over the protoc-generated messages, so the build needs protoc
 * only.
 */
public final class RatingsGrpc {
  /** The fully qualified service name. */
  public static final String SERVICE_NAME = "bookinfo.ratings.v1.Ratings";

  /** {@code rpc GetRatings(GetRatingsRequest) returns (ProductRatings)}. */
  public static final MethodDescriptor<GetRatingsRequest, ProductRatings> GET_RATINGS =
      MethodDescriptor.<GetRatingsRequest, ProductRatings>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "GetRatings"))
          .setSampledToLocalTracing(true)
          .setRequestMarshaller(ProtoUtils.marshaller(GetRatingsRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(ProductRatings.getDefaultInstance()))
          .build();

  private RatingsGrpc() {}

  /** A blocking stub on {@code channel}. */
  public static RatingsBlockingStub newBlockingStub(Channel channel) {
    return new RatingsBlockingStub(channel, CallOptions.DEFAULT);
  }

  /** Blocking calls to the ratings service. */
  public static final class RatingsBlockingStub extends AbstractBlockingStub<RatingsBlockingStub> {
    private RatingsBlockingStub(Channel channel, CallOptions options) {
      super(channel, options);
    }

    @Override
    protected RatingsBlockingStub build(Channel channel, CallOptions options) {
      return new RatingsBlockingStub(channel, options);
    }

    /** The ratings of one product. */
    public ProductRatings getRatings(GetRatingsRequest request) {
      return ClientCalls.blockingUnaryCall(getChannel(), GET_RATINGS, getCallOptions(), request);
    }
  }

  /** The server side: override the methods the service implements. */
  public abstract static class RatingsImplBase implements BindableService {
    /** The ratings of one product; UNIMPLEMENTED unless overridden. */
    public void getRatings(GetRatingsRequest request, StreamObserver<ProductRatings> response) {
      response.onError(Status.UNIMPLEMENTED.withDescription("Method " + GET_RATINGS.getFullMethodName()
          + " is unimplemented").asRuntimeException());
    }

    @Override
    public final ServerServiceDefinition bindService() {
      return ServerServiceDefinition.builder(SERVICE_NAME)
          .addMethod(GET_RATINGS, ServerCalls.asyncUnaryCall(this::getRatings))
          .build();
    }
  }
}
