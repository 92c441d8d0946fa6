package dev.inboard.mesh.agent.interop;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A plain gRPC server on a free loopback port serving {@link EchoService} under its name. */
final class EchoBackend implements AutoCloseable {
  final String name;
  private final Server server;

  private EchoBackend(String name, Server server) {
    this.name = name;
    this.server = server;
  }

  static EchoBackend start(String name) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(EchoService.named(name))
        .build()
        .start();
    return new EchoBackend(name, server);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
