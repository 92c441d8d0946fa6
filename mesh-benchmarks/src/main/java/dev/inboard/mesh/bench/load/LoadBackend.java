package dev.inboard.mesh.bench.load;

import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.YamlSource;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;

/**
 * The far side of a load run: an echo gRPC server, an HTTP/2 (prior knowledge) server answering {@code 200 ok},
 * and the local control plane serving a Kubernetes Service {@code echo} (ports 7070 grpc, 9080 http) whose one
 * endpoint is a WorkloadEntry pointing at the two servers. Run as its own JVM by {@link LoadMain}:
 * it prints one line {@code READY xds=P grpc=P http=P} and exits when its standard input closes.
 */
public final class LoadBackend implements AutoCloseable {
  static final String HOST = "echo.default.svc.cluster.local";
  static final int GRPC_SERVICE_PORT = 7070;
  static final int HTTP_SERVICE_PORT = 9080;

  private final Server grpc;
  private final MockWebServer http;
  private final Thread drain;
  private final LocalControlPlane controlPlane;

  private LoadBackend(Server grpc, MockWebServer http, Thread drain, LocalControlPlane controlPlane) {
    this.grpc = grpc;
    this.http = http;
    this.drain = drain;
    this.controlPlane = controlPlane;
  }

  /** The ports this backend listens on, all on 127.0.0.1. */
  public record Ports(int xds, int grpc, int http) {
    String line() {
      return "READY xds=" + xds + " grpc=" + grpc + " http=" + http;
    }

    static Ports parse(String line) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 4 || !parts[0].equals("READY")) {
        throw new IllegalArgumentException("expected 'READY xds=P grpc=P http=P' from the backend, got: " + line);
      }
      return new Ports(value(parts[1]), value(parts[2]), value(parts[3]));
    }

    private static int value(String part) {
      return Integer.parseInt(part.substring(part.indexOf('=') + 1));
    }
  }

  /** Starts the servers and the control plane on free loopback ports. */
  public static LoadBackend start() throws IOException {
    Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(EchoService.definition()).build().start();
    MockWebServer http = new MockWebServer();
    http.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    http.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("ok").build();
      }
    });
    http.start(InetAddress.getByName("127.0.0.1"), 0);
    // MockWebServer queues every request it records; take them so a long run does not grow the heap.
    Thread drain = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          http.takeRequest();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "recorded-request-drain");
    drain.setDaemon(true);
    drain.start();
    ServerComponents components = ServerComponents.standard();
    LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(0).apiPort(0).build(),
        components.registryBuilder(), components.generator());
    int grpcPort = ((InetSocketAddress) grpc.getListenSockets().get(0)).getPort();
    ConfigUpdate update = cp.apply(List.of(new YamlSource("echo.yaml", config(grpcPort, http.getPort()))));
    if (!update.accepted()) {
      throw new IllegalStateException("the control plane refused the benchmark config: " + update.problems());
    }
    return new LoadBackend(grpc, http, drain, cp);
  }

  /** The Service and the WorkloadEntry that make both servers the endpoints of {@code echo}. */
  static String config(int grpcPort, int httpPort) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default, labels: {app: echo}}
        spec:
          clusterIP: 10.96.0.50
          selector: {app: echo}
          ports:
          - {name: grpc, port: %d, targetPort: grpc}
          - {name: http, port: %d, targetPort: http}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-0, namespace: default}
        spec:
          address: 127.0.0.1
          labels: {app: echo}
          ports: {grpc: %d, http: %d}
        """.formatted(GRPC_SERVICE_PORT, HTTP_SERVICE_PORT, grpcPort, httpPort);
  }

  public Ports ports() {
    return new Ports(controlPlane.xdsAddress().getPort(),
        ((InetSocketAddress) grpc.getListenSockets().get(0)).getPort(), http.getPort());
  }

  @Override
  public void close() {
    drain.interrupt();
    controlPlane.close();
    grpc.shutdownNow();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }

  /** Runs the backend until standard input closes (the load generator exits or closes the pipe). */
  public static void main(String[] args) throws Exception {
    try (LoadBackend backend = start()) {
      System.out.println(backend.ports().line());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to go away
      }
    }
  }
}
