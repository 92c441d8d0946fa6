package dev.inboard.mesh.agent.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * ADS in front of java-control-plane's, adapting two things its snapshot cache assumes to what xDS clients do:
 *
 * <ul>
 *   <li>Clients (grpc-java, Inboard, Envoy with {@code set_node_on_first_message_only}) send the node only on a
 *       stream's first request; the cache looks a snapshot up by the node of every request. The node of the first
 *       request is carried onto the stream's later requests.
 *   <li>A state-of-the-world NACK carries the version the client last ACKed, which the cache takes as "behind" and
 *       answers at once with the same refused resources, again and again. As istiod does, a NACKed version is not
 *       resent: the NACK is shown to the cache as being at the refused version, so the next response is the next
 *       change. (Delta streams already behave so.)
 * </ul>
 */
final class AdsFrontend extends AggregatedDiscoveryServiceImplBase {
  private final AggregatedDiscoveryServiceImplBase delegate;

  AdsFrontend(AggregatedDiscoveryServiceImplBase delegate) {
    this.delegate = delegate;
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
    SotwStream stream = new SotwStream();
    StreamObserver<DiscoveryResponse> observed = responses instanceof ServerCallStreamObserver<DiscoveryResponse> call
        ? new RecordingResponses(call, stream) : responses;
    stream.requests = delegate.streamAggregatedResources(observed);
    return stream;
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
      StreamObserver<DeltaDiscoveryResponse> responses) {
    StreamObserver<DeltaDiscoveryRequest> requests = delegate.deltaAggregatedResources(responses);
    return new StreamObserver<>() {
      private @Nullable Node node;

      @Override
      public void onNext(DeltaDiscoveryRequest request) {
        if (request.hasNode()) {
          node = request.getNode();
        } else if (node != null) {
          request = request.toBuilder().setNode(node).build();
        }
        requests.onNext(request);
      }

      @Override
      public void onError(Throwable t) {
        requests.onError(t);
      }

      @Override
      public void onCompleted() {
        requests.onCompleted();
      }
    };
  }

  /** One state-of-the-world stream: its node and, per type, the version of the latest response. */
  private static final class SotwStream implements StreamObserver<DiscoveryRequest> {
    private record Sent(String nonce, String version) {}

    private final Map<String, Sent> latest = new ConcurrentHashMap<>();
    private @Nullable Node node;
    StreamObserver<DiscoveryRequest> requests;

    void sent(DiscoveryResponse response) {
      latest.put(response.getTypeUrl(), new Sent(response.getNonce(), response.getVersionInfo()));
    }

    @Override
    public void onNext(DiscoveryRequest request) {
      DiscoveryRequest.Builder adapted = null;
      if (request.hasNode()) {
        node = request.getNode();
      } else if (node != null) {
        adapted = request.toBuilder().setNode(node);
      }
      if (request.hasErrorDetail()) {
        Sent refused = latest.get(request.getTypeUrl());
        if (refused != null && refused.nonce().equals(request.getResponseNonce())) {
          adapted = (adapted != null ? adapted : request.toBuilder()).setVersionInfo(refused.version());
        }
      }
      requests.onNext(adapted != null ? adapted.build() : request);
    }

    @Override
    public void onError(Throwable t) {
      requests.onError(t);
    }

    @Override
    public void onCompleted() {
      requests.onCompleted();
    }
  }

  /** The call's response side, unchanged, telling the stream what it sends. */
  private static final class RecordingResponses extends ServerCallStreamObserver<DiscoveryResponse> {
    private final ServerCallStreamObserver<DiscoveryResponse> call;
    private final SotwStream stream;

    RecordingResponses(ServerCallStreamObserver<DiscoveryResponse> call, SotwStream stream) {
      this.call = call;
      this.stream = stream;
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      stream.sent(response);
      call.onNext(response);
    }

    @Override
    public void onError(Throwable t) {
      call.onError(t);
    }

    @Override
    public void onCompleted() {
      call.onCompleted();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {
      call.setOnCancelHandler(onCancelHandler);
    }

    @Override
    public void setOnCloseHandler(Runnable onCloseHandler) {
      call.setOnCloseHandler(onCloseHandler);
    }

    @Override
    public void setCompression(String compression) {
      call.setCompression(compression);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {
      call.setOnReadyHandler(onReadyHandler);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public void disableAutoRequest() {
      call.disableAutoRequest();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void disableAutoInboundFlowControl() {
      call.disableAutoInboundFlowControl();
    }

    @Override
    public void request(int count) {
      call.request(count);
    }

    @Override
    public void setMessageCompression(boolean enable) {
      call.setMessageCompression(enable);
    }
  }
}
