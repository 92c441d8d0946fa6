package dev.inboard.bookinfo.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bookinfo running on one machine: {@code meshctl serve} with Bookinfo's Services, Istio's
 * {@code destination-rule-all.yaml} applied, and the six workloads as separate JVMs, each registering itself with
 * the control plane. {@link #close()} stops every process it started.
 */
public final class BookinfoDeployment implements AutoCloseable {
  /** The main class of the Bookinfo services. */
  public static final String SERVICES_MAIN = "dev.inboard.bookinfo.BookinfoMain";
  static final String MESHCTL_MAIN = "dev.inboard.mesh.agent.cli.Meshctl";
  private static final Pattern SERVING = Pattern.compile(
      "xDS on ([0-9.]+):(\\d+), control API on ([0-9.]+):(\\d+)");
  /** Small heaps and quick start-up: seven JVMs share the machine. */
  private static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Xss512k");

  /**
   * How to run it.
   *
   * @param layout where the built module is
   * @param xdsPort the control plane's xDS port; 0 picks a free one
   * @param apiPort its control API port; 0 picks a free one
   * @param firstIp workloads listen on {@code 127.0.0.firstIp} and the five next addresses
   * @param out where the tagged output of every process goes
   */
  public record Options(BookinfoLayout layout, int xdsPort, int apiPort, int firstIp, PrintStream out) {}

  private final Options options;
  private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
  private final List<Workload> workloads;
  private int xdsPort;
  private boolean closed;
  private ControlApi controlApi = new ControlApi(URI.create("http://127.0.0.1:0"));

  private BookinfoDeployment(Options options) {
    this.options = options;
    this.workloads = Workload.bookinfo(options.firstIp());
  }

  /**
   * Starts the control plane, applies {@code destination-rule-all.yaml}, starts the workloads and waits until
   * productpage serves a page with reviews.
   *
   * @throws IllegalStateException naming the process that failed, with its last lines of output
   */
  public static BookinfoDeployment start(Options options, Duration timeout) throws InterruptedException {
    BookinfoDeployment deployment = create(options);
    try {
      deployment.start(timeout);
      return deployment;
    } catch (RuntimeException | InterruptedException e) {
      deployment.close();
      throw e;
    }
  }

  /** A deployment not started yet, so a shutdown hook can {@link #close()} it even while it starts. */
  public static BookinfoDeployment create(Options options) {
    return new BookinfoDeployment(options);
  }

  /**
   * Starts it (see {@link #start(Options, Duration)}); on failure, what started keeps running until
   * {@link #close()}.
   */
  public void start(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    BookinfoLayout layout = options.layout();
    ChildProcess meshctl = spawn("meshctl", layout.meshctlJar() + File.pathSeparator
        + layout.launcherClasses(), MESHCTL_MAIN, List.of("serve", "--config-dir", layout.platformDir().toString(),
        "--xds-port", String.valueOf(options.xdsPort()), "--api-port", String.valueOf(options.apiPort())));
    Matcher serving = meshctl.awaitLine(SERVING, remaining(deadline));
    xdsPort = Integer.parseInt(serving.group(2));
    controlApi = new ControlApi(URI.create("http://" + serving.group(3) + ":" + serving.group(4)));
    controlApi.apply(layout.networking("destination-rule-all.yaml"));
    String classpath = layout.serviceClasspath();
    for (Workload w : workloads) {
      spawn(w.name(), classpath, SERVICES_MAIN, List.of(w.service(),
          "--server.address=" + w.ip(),
          "--server.port=" + Workload.PORT,
          "--mesh.control-plane=127.0.0.1:" + xdsPort,
          "--mesh.namespace=default",
          "--mesh.labels.version=" + w.version(),
          // serve once the mesh holds its configuration, as istio-agent holds an application until Envoy is ready
          "--mesh.wait-for-config=60s",
          "--bookinfo.pod-name=" + w.podName()));
    }
    awaitProductpageWithReviews(deadline);
  }

  private ChildProcess spawn(String tag, String classpath, String main, List<String> args) {
    try {
      synchronized (children) {
        if (closed) {
          throw new IllegalStateException("stopped while starting");
        }
        ChildProcess child = ChildProcess.startJava(tag, JVM_OPTIONS, classpath, main, args,
            options.layout().home(), options.out());
        children.add(child);
        return child;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + tag + ": " + e.getMessage(), e);
    }
  }

  private void awaitProductpageWithReviews(long deadline) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(productpageUrl())).timeout(Duration.ofSeconds(10))
        .GET().build();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      for (ChildProcess child : children) {
        if (!child.isAlive()) {
          throw new IllegalStateException(child.tag() + " exited with code " + child.exitCode().orElse(-1)
              + " while Bookinfo was starting; its last lines:" + System.lineSeparator() + child.tail());
        }
      }
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && ProductPageHtml.hasReviews(response.body())) {
          return;
        }
        last = "HTTP " + response.statusCode() + (ProductPageHtml.hasReviews(response.body()) ? ""
            : " without reviews");
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("productpage did not serve a page with reviews at " + productpageUrl()
        + " in time (last: " + last + ")");
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** {@code http://127.0.0.N:9080/productpage}. */
  public String productpageUrl() {
    return productpage().baseUrl() + "/productpage";
  }

  public Workload productpage() {
    return workloads.get(0);
  }

  public List<Workload> workloads() {
    return workloads;
  }

  /** {@code 127.0.0.1:PORT}: where workloads get their xDS. */
  public String xdsTarget() {
    return "127.0.0.1:" + xdsPort;
  }

  /** The control plane's API, which {@code meshctl apply/delete --server} talk to. */
  public ControlApi controlApi() {
    return controlApi;
  }

  /** {@code HOST:PORT} of the control API, for {@code meshctl --server}. */
  public String controlApiAddress() {
    return controlApi.base().getHost() + ":" + controlApi.base().getPort();
  }

  /** Whether every process is still running. */
  public boolean allAlive() {
    synchronized (children) {
      return children.stream().allMatch(ChildProcess::isAlive);
    }
  }

  /** The process ids of the children, for checks that none outlives {@link #close()}. */
  public List<Long> pids() {
    synchronized (children) {
      return children.stream().map(ChildProcess::pid).toList();
    }
  }

  /** Stops the workloads, then the control plane. */
  @Override
  public void close() {
    List<ChildProcess> all;
    synchronized (children) {
      closed = true;
      all = new ArrayList<>(children);
      children.clear();
    }
    Collections.reverse(all);
    all.parallelStream().forEach(ChildProcess::stop);
  }
}
