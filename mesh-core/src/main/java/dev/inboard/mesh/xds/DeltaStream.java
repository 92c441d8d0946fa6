package dev.inboard.mesh.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Incremental (Delta) ADS: the first request of a type announces the versions held from earlier streams, later
 * requests carry only subscription changes, and ACKs carry only the nonce.
 */
final class DeltaStream extends AdsStream {
  private final Channel channel;
  private final Node node;
  private final Events events;
  /** Per type: the names the server has been told we subscribe to on this stream. */
  private final Map<String, Set<String>> sent = new HashMap<>();
  private StreamObserver<DeltaDiscoveryRequest> requests;
  private boolean nodeSent;

  DeltaStream(Channel channel, Node node, Events events) {
    this.channel = channel;
    this.node = node;
    this.events = events;
  }

  @Override
  XdsProtocol protocol() {
    return XdsProtocol.DELTA;
  }

  @Override
  void start() {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DeltaDiscoveryResponse r) {
        markReceived();
        List<IncomingResource> resources = new ArrayList<>(r.getResourcesCount());
        for (Resource res : r.getResourcesList()) {
          if (res.hasResource()) {
            resources.add(new IncomingResource(res.getResource(), res.getName(), res.getVersion()));
          }
        }
        events.onResponse(DeltaStream.this, new Incoming(r.getTypeUrl(), r.getSystemVersionInfo(), r.getNonce(),
            resources, r.getRemovedResourcesList()));
      }

      @Override
      public void onError(Throwable t) {
        events.onClosed(DeltaStream.this, Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        events.onClosed(DeltaStream.this, Status.UNAVAILABLE.withDescription("server closed the stream"));
      }
    });
  }

  @Override
  void subscribe(TypeState<?> state) {
    String typeUrl = state.kind.typeUrl();
    Set<String> told = sent.get(typeUrl);
    DeltaDiscoveryRequest.Builder b = DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl);
    if (told == null) {
      if (!state.hasInterest()) {
        return;
      }
      told = new TreeSet<>();
      sent.put(typeUrl, told);
      if (!state.wildcard()) {
        // An empty first subscription means wildcard, so named types list their names.
        b.addAllResourceNamesSubscribe(state.names());
        told.addAll(state.names());
      }
      state.entries().forEach((name, e) -> {
        if (e.value().isPresent()) {
          b.putInitialResourceVersions(name, e.version());
        }
      });
    } else {
      if (state.wildcard()) {
        return;
      }
      Set<String> add = new TreeSet<>(state.names());
      add.removeAll(told);
      Set<String> drop = new TreeSet<>(told);
      drop.removeAll(state.names());
      if (add.isEmpty() && drop.isEmpty()) {
        return;
      }
      b.addAllResourceNamesSubscribe(add).addAllResourceNamesUnsubscribe(drop);
      told.addAll(add);
      told.removeAll(drop);
    }
    send(b);
  }

  @Override
  void ack(TypeState<?> state, String nonce) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(state.kind.typeUrl()).setResponseNonce(nonce));
  }

  @Override
  void nack(TypeState<?> state, String nonce, String error) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(state.kind.typeUrl()).setResponseNonce(nonce)
        .setErrorDetail(errorDetail(error)));
  }

  private void send(DeltaDiscoveryRequest.Builder b) {
    if (!nodeSent) {
      b.setNode(node);
      nodeSent = true;
    }
    requests.onNext(b.build());
  }

  @Override
  void close() {
    requests.onError(Status.CANCELLED.withDescription("xDS client closed the stream").asRuntimeException());
  }
}
