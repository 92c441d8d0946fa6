package dev.inboard.mesh.bench.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Load runs of the mesh's clients beside plain OkHttp, plain grpc-java and grpc-java's {@code xds:///} client. The
 * backend ({@link LoadBackend}: servers and local control plane) runs in its own JVM; the clients run here,
 * interleaved in rounds, so machine noise hits each alike. Nothing here fails on a figure.
 *
 * <pre>
 * java -cp mesh-benchmarks/target/benchmarks.jar dev.inboard.mesh.bench.load.LoadMain \
 *     [--suites okhttp,grpc,qps] [--rounds 12] [--warmup-rounds 3] [--requests 10000] \
 *     [--qps-seconds 3] [--callers 32] [--backend-cpus 1] [--in-process-backend] [--out DIR]
 * </pre>
 *
 * <ul>
 *   <li>{@code okhttp}: one caller, blocking GETs, {@code okhttp-plain} vs {@code okhttp-mesh}: p50, p99.
 *   <li>{@code grpc}: one caller, blocking unary calls, {@code grpc-plain}, {@code grpc-mesh}, {@code grpc-xds}.
 *   <li>{@code qps}: {@code callers} non-blocking call chains for {@code qps-seconds}, same three gRPC clients.
 * </ul>
 */
public final class LoadMain {
  /** What to run; see the class comment for the flags. */
  record Options(List<String> suites, int rounds, int warmupRounds, int requests, double qpsSeconds, int callers,
      Optional<String> backendCpus, boolean inProcessBackend, Optional<Path> out) {

    static Options parse(String... args) {
      Map<String, String> flags = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--in-process-backend")) {
          flags.put(flag, "true");
        } else if (flag.startsWith("--") && i + 1 < args.length) {
          flags.put(flag, args[++i]);
        } else {
          throw new IllegalArgumentException("unknown or incomplete argument " + flag + "; see LoadMain's Javadoc");
        }
      }
      Options o = new Options(Arrays.asList(flags.getOrDefault("--suites", "okhttp,grpc,qps").split(",")),
          Integer.parseInt(flags.getOrDefault("--rounds", "12")),
          Integer.parseInt(flags.getOrDefault("--warmup-rounds", "3")),
          Integer.parseInt(flags.getOrDefault("--requests", "10000")),
          Double.parseDouble(flags.getOrDefault("--qps-seconds", "3")),
          Integer.parseInt(flags.getOrDefault("--callers", "32")),
          Optional.ofNullable(flags.get("--backend-cpus")),
          flags.containsKey("--in-process-backend"),
          Optional.ofNullable(flags.get("--out")).map(Path::of));
      for (String suite : o.suites) {
        if (!List.of("okhttp", "grpc", "qps").contains(suite)) {
          throw new IllegalArgumentException("unknown suite " + suite + "; use okhttp, grpc, qps");
        }
      }
      return o;
    }
  }

  /** The printed summary and every round's result, by suite. */
  record Report(List<String> lines, Map<String, List<RoundResult>> results) {}

  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Report report = run(options);
    if (options.out().isPresent()) {
      Path dir = options.out().get();
      Files.createDirectories(dir);
      Files.write(dir.resolve("summary.txt"), report.lines(), StandardCharsets.UTF_8);
      List<String> csv = new ArrayList<>();
      csv.add("suite,variant,round,calls,failures,p50_us,p99_us,qps,cpu_us_per_call,bytes_per_call");
      report.results().forEach((suite, results) -> results.forEach(r -> csv.add(String.format(Locale.ROOT,
          "%s,%s,%d,%d,%d,%.1f,%.1f,%.0f,%.2f,%.0f", suite, r.variant(), r.round(), r.calls(), r.failures(),
          r.p50Micros(), r.p99Micros(), r.qps(), r.cpuMicrosPerCall(), r.bytesPerCall()))));
      Files.write(dir.resolve("rounds.csv"), csv, StandardCharsets.UTF_8);
    }
    System.exit(0);
  }

  /** Starts the backend, runs the suites, prints as it goes, stops the backend. */
  static Report run(Options options) throws Exception {
    List<String> lines = new ArrayList<>();
    Map<String, List<RoundResult>> all = new LinkedHashMap<>();
    print(lines, "date " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cpus, java "
        + System.getProperty("java.vm.version") + ", backend " + (options.inProcessBackend() ? "in this JVM"
            : "in its own JVM" + options.backendCpus().map(c -> " on cpus " + c).orElse("")));
    print(lines, String.format(Locale.ROOT, "rounds %d (+%d warm-up), %d requests per variant per round, "
        + "qps %.1f s x %d callers", options.rounds(), options.warmupRounds(), options.requests(),
        options.qpsSeconds(), options.callers()));
    try (Backend backend = Backend.start(options);
        LoadClients clients = new LoadClients(backend.ports, Duration.ofSeconds(30))) {
      for (String suite : options.suites()) {
        List<Variant> variants = suite.equals("okhttp")
            ? List.of(clients.plainOkHttp(), clients.meshOkHttp())
            : List.of(clients.plainGrpc(), clients.meshGrpc(), clients.xdsGrpc());
        for (Variant v : variants) {
          awaitServing(v);
        }
        boolean throughput = suite.equals("qps");
        print(lines, "");
        print(lines, "suite " + suite + ", load average before: " + loadAverage());
        List<RoundResult> results = new ArrayList<>();
        for (int round = -options.warmupRounds(); round < options.rounds(); round++) {
          for (Variant v : Rounds.order(variants, round + options.warmupRounds())) {
            RoundResult r = throughput
                ? Rounds.throughput(v, round, options.callers(), options.qpsSeconds())
                : Rounds.latency(v, round, options.requests());
            if (round >= 0) {
              results.add(r);
            }
          }
        }
        print(lines, "suite " + suite + ", load average after: " + loadAverage());
        List<String> names = variants.stream().map(Variant::name).toList();
        Summary.variants(results, names, throughput).forEach(l -> print(lines, l));
        if (suite.equals("okhttp")) {
          Summary.ratios(results, "okhttp-mesh", "okhttp-plain", false).forEach(l -> print(lines, l));
        } else {
          Summary.ratios(results, "grpc-mesh", "grpc-plain", throughput).forEach(l -> print(lines, l));
          Summary.ratios(results, "grpc-mesh", "grpc-xds", throughput).forEach(l -> print(lines, l));
          Summary.ratios(results, "grpc-xds", "grpc-plain", throughput).forEach(l -> print(lines, l));
        }
        all.put(suite, results);
      }
    }
    return new Report(lines, all);
  }

  /** Calls until the variant answers (its configuration may still be arriving), for at most 30 s. */
  private static void awaitServing(Variant v) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        v.call();
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(v.name() + " did not answer within 30 s", e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void print(List<String> lines, String line) {
    System.out.println(line);
    lines.add(line);
  }

  /** The backend: its own JVM (optionally pinned with taskset), or in this one for a smoke run. */
  private static final class Backend implements AutoCloseable {
    final LoadBackend.Ports ports;
    private final Optional<Process> process;
    private final Optional<LoadBackend> inProcess;

    private Backend(LoadBackend.Ports ports, Optional<Process> process, Optional<LoadBackend> inProcess) {
      this.ports = ports;
      this.process = process;
      this.inProcess = inProcess;
    }

    static Backend start(Options options) throws Exception {
      if (options.inProcessBackend()) {
        LoadBackend backend = LoadBackend.start();
        return new Backend(backend.ports(), Optional.empty(), Optional.of(backend));
      }
      List<String> command = new ArrayList<>();
      options.backendCpus().ifPresent(cpus -> command.addAll(List.of("taskset", "-c", cpus)));
      command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms512m", "-Xmx512m", "-cp", System.getProperty("java.class.path"), LoadBackend.class.getName()));
      File log = File.createTempFile("load-backend", ".log");
      Process process = new ProcessBuilder(command).redirectError(log).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("the backend exited before it was ready; see " + log + ":\n"
            + Files.readString(log.toPath()));
      }
      return new Backend(LoadBackend.Ports.parse(line), Optional.of(process), Optional.empty());
    }

    @Override
    public void close() throws Exception {
      inProcess.ifPresent(LoadBackend::close);
      if (process.isPresent()) {
        Process p = process.get();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroy();
        }
      }
    }
  }
}
