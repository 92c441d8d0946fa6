package dev.inboard.mesh.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inboard.mesh.snapshot.MeshSnapshot;
import dev.inboard.mesh.xds.XdsSyncState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small admin endpoint in the spirit of Envoy's {@code :15000}: {@code /config_dump} (the snapshot and the xDS sync
 * state as JSON), {@code /ready} (200 once the configuration is complete) and an index page. Binds loopback only by
 * default; it shows configuration, never keys.
 */
public final class AdminServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving on {@code address} (port 0 picks a free port). */
  public static AdminServer start(InetSocketAddress address, Supplier<MeshSnapshot> snapshot,
      Supplier<XdsSyncState> sync) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "inboard-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/config_dump", exchange ->
        respond(exchange, 200, "application/json", ConfigDump.toJson(snapshot.get(), sync.get())));
    server.createContext("/ready", exchange -> {
      boolean ready = snapshot.get().complete();
      respond(exchange, ready ? 200 : 503, "text/plain", ready ? "LIVE\n" : "PRE_INITIALIZING\n");
    });
    server.createContext("/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        respond(exchange, 404, "text/plain", "not found\n");
        return;
      }
      respond(exchange, 200, "text/html; charset=utf-8", AdminPage.render(snapshot.get(), sync.get()));
    });
    server.start();
    return new AdminServer(server, executor);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
