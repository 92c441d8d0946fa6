package dev.inboard.mesh.bench.load;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Arrays;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/** One client under measurement: a name, a blocking call, and (for gRPC) a non-blocking one. */
interface Variant {
  String name();

  /** One request, answered and checked, on the calling thread. */
  void call() throws Exception;

  /** Starts one request; {@code done} runs when it completed, with the failure or null. */
  default void start(Completion done) {
    throw new UnsupportedOperationException(name() + " has no non-blocking call");
  }

  /** The end of a non-blocking call. */
  interface Completion {
    void completed(@Nullable Throwable failure);
  }

  static Variant okHttp(String name, OkHttpClient client, Request request) {
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void call() throws IOException {
        try (Response r = client.newCall(request).execute()) {
          String body = r.body().string();
          if (r.code() != 200 || !body.equals("ok")) {
            throw new IOException(name + ": unexpected answer " + r.code() + " " + body);
          }
        }
      }
    };
  }

  static Variant grpc(String name, Channel channel, byte[] payload) {
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void call() {
        byte[] answer = ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, CallOptions.DEFAULT, payload);
        if (!Arrays.equals(answer, payload)) {
          throw new IllegalStateException(name + ": the echo differs from the request");
        }
      }

      @Override
      public void start(Completion done) {
        ClientCalls.asyncUnaryCall(channel.newCall(EchoService.ECHO, CallOptions.DEFAULT), payload,
            new StreamObserver<byte[]>() {
              private boolean answered;

              @Override
              public void onNext(byte[] value) {
                answered = value.length == payload.length;
              }

              @Override
              public void onError(Throwable t) {
                done.completed(t);
              }

              @Override
              public void onCompleted() {
                done.completed(answered ? null : new IllegalStateException(name + ": wrong or no echo"));
              }
            });
      }
    };
  }
}
