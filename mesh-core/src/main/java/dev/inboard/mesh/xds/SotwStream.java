package dev.inboard.mesh.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** State-of-the-world ADS: every request carries the full name list, the last accepted version and the nonce. */
final class SotwStream extends AdsStream {
  private final Channel channel;
  private final Node node;
  private final Events events;
  private final Map<String, String> nonces = new HashMap<>();
  private final Set<String> sentNonEmpty = new HashSet<>();
  private StreamObserver<DiscoveryRequest> requests;
  private boolean nodeSent;

  SotwStream(Channel channel, Node node, Events events) {
    this.channel = channel;
    this.node = node;
    this.events = events;
  }

  @Override
  XdsProtocol protocol() {
    return XdsProtocol.SOTW;
  }

  @Override
  void start() {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        markReceived();
        List<IncomingResource> resources = new ArrayList<>(r.getResourcesCount());
        r.getResourcesList().forEach(any -> resources.add(new IncomingResource(any, "", r.getVersionInfo())));
        events.onResponse(SotwStream.this,
            new Incoming(r.getTypeUrl(), r.getVersionInfo(), r.getNonce(), resources, List.of()));
      }

      @Override
      public void onError(Throwable t) {
        events.onClosed(SotwStream.this, Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        events.onClosed(SotwStream.this, Status.UNAVAILABLE.withDescription("server closed the stream"));
      }
    });
  }

  @Override
  void subscribe(TypeState<?> state) {
    String typeUrl = state.kind.typeUrl();
    if (!state.hasInterest() && !sentNonEmpty.contains(typeUrl)) {
      return; // never asked for anything of this type on this stream: an empty request would mean wildcard
    }
    send(request(state, state.ackedVersion(), nonces.getOrDefault(typeUrl, "")));
  }

  @Override
  void ack(TypeState<?> state, String nonce) {
    nonces.put(state.kind.typeUrl(), nonce);
    send(request(state, state.ackedVersion(), nonce));
  }

  @Override
  void nack(TypeState<?> state, String nonce, String error) {
    nonces.put(state.kind.typeUrl(), nonce);
    send(request(state, state.ackedVersion(), nonce).toBuilder().setErrorDetail(errorDetail(error)).build());
  }

  private DiscoveryRequest request(TypeState<?> state, String version, String nonce) {
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder()
        .setTypeUrl(state.kind.typeUrl())
        .setVersionInfo(version)
        .setResponseNonce(nonce);
    if (!state.wildcard()) {
      b.addAllResourceNames(state.names());
      if (!state.names().isEmpty()) {
        sentNonEmpty.add(state.kind.typeUrl());
      }
    }
    if (!nodeSent) {
      b.setNode(node);
      nodeSent = true;
    }
    return b.build();
  }

  private void send(DiscoveryRequest request) {
    requests.onNext(request);
  }

  @Override
  void close() {
    requests.onError(Status.CANCELLED.withDescription("xDS client closed the stream").asRuntimeException());
  }
}
