package dev.inboard.bookinfo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.bookinfo.Apps;
import dev.inboard.mesh.agent.cli.ServerComponents;
import dev.inboard.mesh.agent.server.ConfigUpdate;
import dev.inboard.mesh.agent.server.ControlPlaneOptions;
import dev.inboard.mesh.agent.server.LocalControlPlane;
import dev.inboard.mesh.agent.server.YamlSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A local control plane serving Bookinfo's platform YAML and destination rules, and the Bookinfo workloads started
 * against it in this JVM, each on its own loopback address with port 9080 as in the Service YAML. The addresses are
 * {@code 127.A.B.n} with A.B random per fixture, so runs on one machine do not collide.
 */
public final class BookinfoMesh implements AutoCloseable {
  public static final Path PLATFORM = Path.of("platform/bookinfo.yaml");
  public static final Path NETWORKING = Path.of("networking");

  private final LocalControlPlane cp;
  private final String prefix;
  private final Apps apps = new Apps();
  private final AtomicInteger sourceCount = new AtomicInteger();

  private BookinfoMesh(LocalControlPlane cp, String prefix) {
    this.cp = cp;
    this.prefix = prefix;
  }

  /** Starts the control plane with the platform YAML and {@code destination-rule-all.yaml}. */
  public static BookinfoMesh start() {
    try {
      ServerComponents c = ServerComponents.standard();
      LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.builder().xdsPort(0).apiPort(0).build(),
          c.registryBuilder(), c.generator());
      BookinfoMesh mesh = new BookinfoMesh(cp, freePrefix());
      mesh.apply(Files.readString(PLATFORM), Files.readString(NETWORKING.resolve("destination-rule-all.yaml")));
      return mesh;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String freePrefix() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      String prefix = "127." + r.nextInt(20, 250) + "." + r.nextInt(1, 250) + ".";
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(prefix + "1", 9080));
        return prefix;
      } catch (IOException taken) {
        // another run uses these addresses; try others
      }
    }
    throw new IOException("no free 127.x.y.1:9080 found");
  }

  /** The loopback address of workload {@code n}. */
  public String ip(int n) {
    return prefix + n;
  }

  /** {@code http://<ip(n)>:9080}. */
  public String base(int n) {
    return "http://" + ip(n) + ":9080";
  }

  /**
   * Starts a Bookinfo service as workload {@code n} of {@code version}, joined to the mesh, waiting for its first
   * complete configuration.
   */
  public ConfigurableApplicationContext start(Function<String[], ConfigurableApplicationContext> service, int n,
      String version, String... extra) {
    List<String> args = new ArrayList<>(List.of("--server.address=" + ip(n), "--server.port=9080",
        "--mesh.control-plane=127.0.0.1:" + cp.xdsAddress().getPort(), "--mesh.labels.version=" + version,
        "--mesh.wait-for-config=30s"));
    args.addAll(List.of(extra));
    return apps.start(service, args.toArray(String[]::new));
  }

  /** Applies YAML documents; fails the test when the control plane refuses them. */
  public void apply(String... yaml) {
    List<YamlSource> sources = new ArrayList<>();
    for (String y : yaml) {
      sources.add(new YamlSource("test-" + sourceCount.incrementAndGet() + ".yaml", y));
    }
    ConfigUpdate update = cp.apply(sources);
    assertThat(update.accepted()).as("applied: %s", update.problems()).isTrue();
  }

  /** Applies a file of Istio's networking samples. */
  public void applySample(String file) {
    try {
      apply(Files.readString(NETWORKING.resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the resources named in {@code yaml}. */
  public void delete(String yaml) {
    ConfigUpdate update = cp.delete(List.of(new YamlSource("test-" + sourceCount.incrementAndGet() + ".yaml", yaml)));
    assertThat(update.accepted()).as("deleted: %s", update.problems()).isTrue();
  }

  /** Removes the VirtualServices of the four services, so that traffic goes to every version again. */
  public void deleteVirtualServices() {
    StringBuilder yaml = new StringBuilder();
    for (String host : List.of("productpage", "details", "reviews", "ratings")) {
      yaml.append("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ").append(host)
          .append("\nspec:\n  hosts:\n  - ").append(host).append("\n  http:\n  - route:\n    - destination:\n")
          .append("        host: ").append(host).append("\n---\n");
    }
    delete(yaml.toString());
  }

  @Override
  public void close() {
    apps.close();
    cp.close();
  }
}
