package dev.inboard.mesh.testing;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process ADS server for tests: it records every request, answers nothing on its own, and lets the test send
 * responses, break streams and refuse Delta. Streams are exposed in the order they were opened.
 */
public final class FakeAdsServer implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String name = "fake-ads-" + IDS.incrementAndGet();
  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private volatile boolean deltaUnimplemented;
  private final Server server;

  public FakeAdsServer() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new Service()).build().start();
  }

  /** A channel to this server; the caller closes it. */
  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** From now on, Delta streams fail with UNIMPLEMENTED, as a SotW-only server would. */
  public void refuseDelta() {
    deltaUnimplemented = true;
  }

  /** Waits for the next stream to open. */
  public Stream nextStream() throws InterruptedException {
    Stream s = streams.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (s == null) {
      throw new AssertionError("no ADS stream opened within " + WAIT);
    }
    return s;
  }

  /** True when no further stream was opened (checked without waiting). */
  public boolean noMoreStreams() {
    return streams.isEmpty();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** One ADS stream: the requests it received and a way to answer. */
  public static final class Stream {
    private final BlockingQueue<Object> requests = new LinkedBlockingQueue<>();
    private final boolean delta;
    private volatile StreamObserver<Object> responses;

    Stream(boolean delta) {
      this.delta = delta;
    }

    public boolean isDelta() {
      return delta;
    }

    public DiscoveryRequest takeSotw() throws InterruptedException {
      return (DiscoveryRequest) take();
    }

    public DeltaDiscoveryRequest takeDelta() throws InterruptedException {
      return (DeltaDiscoveryRequest) take();
    }

    private Object take() throws InterruptedException {
      Object r = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no request arrived within " + WAIT);
      }
      return r;
    }

    /** Requests received and not yet taken. */
    public int pending() {
      return requests.size();
    }

    public void sendSotw(String typeUrl, String version, String nonce, List<? extends Message> resources) {
      DiscoveryResponse.Builder b = DiscoveryResponse.newBuilder()
          .setTypeUrl(typeUrl).setVersionInfo(version).setNonce(nonce);
      resources.forEach(r -> b.addResources(Any.pack(r)));
      send(b.build());
    }

    public void sendSotwRaw(DiscoveryResponse response) {
      send(response);
    }

    public void sendDelta(String typeUrl, String nonce, List<NamedResource> resources, List<String> removed) {
      DeltaDiscoveryResponse.Builder b = DeltaDiscoveryResponse.newBuilder().setTypeUrl(typeUrl).setNonce(nonce)
          .addAllRemovedResources(removed);
      for (NamedResource r : resources) {
        b.addResources(Resource.newBuilder().setName(r.name()).setVersion(r.version()).setResource(r.body()));
      }
      send(b.build());
    }

    /** Breaks the stream as a lost connection would. */
    public void fail(Status status) {
      responses.onError(status.asRuntimeException());
    }

    private void send(Object response) {
      responses.onNext(response);
    }
  }

  /** A resource as a Delta response carries it. */
  public record NamedResource(String name, String version, Any body) {
    public static NamedResource of(String name, String version, Message body) {
      return new NamedResource(name, version, Any.pack(body));
    }
  }

  private final class Service extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    @Override
    @SuppressWarnings("unchecked")
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> out) {
      Stream s = new Stream(false);
      s.responses = (StreamObserver<Object>) (StreamObserver<?>) out;
      streams.add(s);
      return recorder(s);
    }

    @Override
    @SuppressWarnings("unchecked")
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> out) {
      if (deltaUnimplemented) {
        out.onError(Status.UNIMPLEMENTED.withDescription("delta xDS is not implemented").asRuntimeException());
        return new StreamObserver<>() {
          @Override
          public void onNext(DeltaDiscoveryRequest value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
      Stream s = new Stream(true);
      s.responses = (StreamObserver<Object>) (StreamObserver<?>) out;
      streams.add(s);
      return recorder(s);
    }

    private <R> StreamObserver<R> recorder(Stream s) {
      return new StreamObserver<>() {
        @Override
        public void onNext(R request) {
          s.requests.add(request);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }
}
