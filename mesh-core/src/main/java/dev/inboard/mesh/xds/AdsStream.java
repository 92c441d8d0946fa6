package dev.inboard.mesh.xds;

import com.google.protobuf.Any;
import io.grpc.Status;
import java.util.List;

/**
 * One attempt at the ADS stream, in one of the two protocols. Holds only what is specific to this stream (nonces,
 * which names the server has been told); everything that survives a reconnect lives in {@link TypeState}. All
 * methods except the {@link Events} callbacks run on the client's serializing executor.
 */
abstract sealed class AdsStream permits SotwStream, DeltaStream {

  /** A response, protocol-neutral. {@code removed} is empty for state-of-the-world. */
  record Incoming(String typeUrl, String versionInfo, String nonce, List<IncomingResource> resources,
      List<String> removed) {}

  /** One resource of a response; {@code name} and {@code version} are set by Delta only. */
  record IncomingResource(Any body, String name, String version) {}

  /** Called on gRPC threads; the receiver hands the work to its executor. */
  interface Events {
    void onResponse(AdsStream stream, Incoming response);

    void onClosed(AdsStream stream, Status status);
  }

  private volatile boolean receivedResponse;

  abstract XdsProtocol protocol();

  abstract void start();

  /** Sends the type's current subscription (the first request of the type on this stream, or a change). */
  abstract void subscribe(TypeState<?> state);

  abstract void ack(TypeState<?> state, String nonce);

  abstract void nack(TypeState<?> state, String nonce, String error);

  abstract void close();

  boolean receivedResponse() {
    return receivedResponse;
  }

  void markReceived() {
    receivedResponse = true;
  }

  static com.google.rpc.Status errorDetail(String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.INVALID_ARGUMENT.value())
        .setMessage(message)
        .build();
  }
}
