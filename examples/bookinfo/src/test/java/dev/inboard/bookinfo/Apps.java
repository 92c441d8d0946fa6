package dev.inboard.bookinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Bookinfo services started in the test JVM, closed together. */
public final class Apps implements AutoCloseable {
  private final List<ConfigurableApplicationContext> started = new ArrayList<>();

  /** Starts a service with {@code args} (Spring command-line properties). */
  public ConfigurableApplicationContext start(Function<String[], ConfigurableApplicationContext> service,
      String... args) {
    ConfigurableApplicationContext ctx = service.apply(args);
    started.add(ctx);
    return ctx;
  }

  /** Starts a service without the mesh on an ephemeral loopback port. */
  public ConfigurableApplicationContext startAlone(Function<String[], ConfigurableApplicationContext> service,
      String... args) {
    List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
        "--mesh.enabled=false"));
    all.addAll(List.of(args));
    return start(service, all.toArray(String[]::new));
  }

  /** {@code http://host:port} of a started service. */
  public static String base(ConfigurableApplicationContext ctx) {
    int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
    String host = ctx.getEnvironment().getProperty("server.address", "127.0.0.1");
    return "http://" + host + ":" + port;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }
}
