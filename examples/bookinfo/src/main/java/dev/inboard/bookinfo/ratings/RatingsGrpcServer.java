package dev.inboard.bookinfo.ratings;

import dev.inboard.bookinfo.ratings.grpc.GetRatingsRequest;
import dev.inboard.bookinfo.ratings.grpc.ProductRatings;
import dev.inboard.bookinfo.ratings.grpc.RatingsGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The ratings gRPC API on {@code server.address}:{@code bookinfo.ratings.grpc-port}, serving what
 * {@link RatingsStore} holds. Ratings that are not whole numbers (possible after a POST of arbitrary JSON) are left
 * out of the answer.
 */
@Component
public class RatingsGrpcServer extends RatingsGrpc.RatingsImplBase implements SmartLifecycle {
  private final RatingsStore store;
  private final String host;
  private final int port;
  private @Nullable Server server;

  RatingsGrpcServer(RatingsStore store, @Value("${server.address:127.0.0.1}") String host,
      @Value("${bookinfo.ratings.grpc-port:9070}") int port) {
    this.store = store;
    this.host = host;
    this.port = port;
  }

  @Override
  public void getRatings(GetRatingsRequest request, StreamObserver<ProductRatings> response) {
    JsonNode doc = store.get(request.getProductId());
    ProductRatings.Builder out = ProductRatings.newBuilder().setId(request.getProductId());
    for (Map.Entry<String, JsonNode> e : doc.get("ratings").properties()) {
      if (e.getValue().isIntegralNumber() && e.getValue().canConvertToInt()) {
        out.putRatings(e.getKey(), e.getValue().intValue());
      }
    }
    response.onNext(out.build());
    response.onCompleted();
  }

  /** The port the gRPC API listens on (the bound one when 0 was configured). */
  public int port() {
    Server s = server;
    return s == null ? port : ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
  }

  @Override
  public synchronized void start() {
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port)).addService(this).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("ratings cannot serve gRPC on " + host + ":" + port
          + "; set bookinfo.ratings.grpc-port to a free port", e);
    }
  }

  @Override
  public synchronized void stop() {
    Server s = server;
    if (s != null) {
      s.shutdown();
      try {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
      server = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }
}
