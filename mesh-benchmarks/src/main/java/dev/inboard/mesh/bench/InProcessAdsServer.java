package dev.inboard.mesh.bench;

import dev.inboard.mesh.bootstrap.ControlPlaneChannels;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process Delta ADS server for measuring the xDS client. It sends responses given as serialized
 * {@code DeltaDiscoveryResponse} bytes, so the client decodes every response as it would off the network, and it
 * keeps only counters and the current subscriptions of what the client sends, so millions of exchanges hold no
 * memory. Server and channel run on the calling thread ({@code directExecutor}): {@link Stream#send} returns after
 * the client has decoded, validated, applied, acknowledged and published the response.
 */
public final class InProcessAdsServer implements AutoCloseable {
  private static final long WAIT_SECONDS = 5;
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new KnownLengthStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final String name = "inboard-bench-ads-" + IDS.incrementAndGet();
  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private final Server server;

  public InProcessAdsServer() throws IOException {
    MethodDescriptor<DeltaDiscoveryRequest, byte[]> delta = MethodDescriptor.<DeltaDiscoveryRequest, byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod().getFullMethodName())
        .setRequestMarshaller(ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()))
        .setResponseMarshaller(BYTES)
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.SERVICE_NAME)
        .addMethod(delta, ServerCalls.asyncBidiStreamingCall(this::open))
        .build();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
  }

  /** A channel to this server, as large-message tolerant as the client's own control-plane channels. */
  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name)
        .directExecutor()
        .maxInboundMessageSize(ControlPlaneChannels.MAX_INBOUND_MESSAGE_BYTES)
        .build();
  }

  /** The next ADS stream a client opened, waiting up to five seconds. */
  public Stream nextStream() throws InterruptedException {
    Stream s = streams.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (s == null) {
      throw new IllegalStateException("no ADS stream opened within " + WAIT_SECONDS + " s");
    }
    return s;
  }

  private StreamObserver<DeltaDiscoveryRequest> open(StreamObserver<byte[]> responses) {
    Stream s = new Stream(responses);
    streams.add(s);
    return s.observer;
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** One Delta ADS stream: a way to answer, and what the client has told the server so far. */
  public static final class Stream {
    private final StreamObserver<byte[]> responses;
    private final Map<String, Set<String>> subscribed = new ConcurrentHashMap<>();
    private final Map<String, String> lastAckedNonce = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong nacks = new AtomicLong();
    private volatile Optional<String> lastNack = Optional.empty();
    private volatile boolean closed;
    final StreamObserver<DeltaDiscoveryRequest> observer = new StreamObserver<>() {
      @Override
      public void onNext(DeltaDiscoveryRequest r) {
        record(r);
      }

      @Override
      public void onError(Throwable t) {
        closed = true;
      }

      @Override
      public void onCompleted() {
        closed = true;
      }
    };

    Stream(StreamObserver<byte[]> responses) {
      this.responses = responses;
    }

    /** Sends one serialized {@code DeltaDiscoveryResponse}; see {@link DeltaResponses}. */
    public void send(byte[] deltaDiscoveryResponse) {
      responses.onNext(deltaDiscoveryResponse);
    }

    private void record(DeltaDiscoveryRequest r) {
      requests.incrementAndGet();
      String type = r.getTypeUrl();
      if (r.getResourceNamesSubscribeCount() > 0 || r.getResourceNamesUnsubscribeCount() > 0
          || !subscribed.containsKey(type)) {
        Set<String> names = subscribed.computeIfAbsent(type, t -> ConcurrentHashMap.newKeySet());
        names.addAll(r.getResourceNamesSubscribeList());
        r.getResourceNamesUnsubscribeList().forEach(names::remove);
      }
      if (!r.getResponseNonce().isEmpty()) {
        if (r.hasErrorDetail()) {
          nacks.incrementAndGet();
          lastNack = Optional.of(r.getErrorDetail().getMessage());
        } else {
          acks.incrementAndGet();
          lastAckedNonce.put(type, r.getResponseNonce());
        }
      }
    }

    /** The names the client subscribes to by name for a type (empty for a wildcard subscription). */
    public Set<String> subscribed(String typeUrl) {
      return Set.copyOf(subscribed.getOrDefault(typeUrl, Set.of()));
    }

    /** Whether the client has opened a subscription to the type at all. */
    public boolean hasSubscription(String typeUrl) {
      return subscribed.containsKey(typeUrl);
    }

    public Optional<String> lastAckedNonce(String typeUrl) {
      return Optional.ofNullable(lastAckedNonce.get(typeUrl));
    }

    public long requestCount() {
      return requests.get();
    }

    public long ackCount() {
      return acks.get();
    }

    public long nackCount() {
      return nacks.get();
    }

    /** The error detail of the last NACK, if the client ever refused anything. */
    public Optional<String> lastNack() {
      return lastNack;
    }

    public boolean isClosed() {
      return closed;
    }
  }

  /** Bytes whose length gRPC may read up front, as it can for a message read off the network. */
  private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
    KnownLengthStream(byte[] bytes) {
      super(bytes);
    }
  }
}
