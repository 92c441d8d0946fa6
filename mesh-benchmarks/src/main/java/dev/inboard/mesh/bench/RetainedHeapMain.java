package dev.inboard.mesh.bench;

import dev.inboard.mesh.snapshot.MeshSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much heap the xDS client keeps for a mesh of {@code --services} services with {@code --endpoints} pods each:
 * used heap after repeated full GCs, measured before the client receives anything, after CDS, after EDS and after
 * LDS and RDS. The serialized responses stay reachable throughout, so they cancel out. With {@code --histo}, a
 * {@code jmap -histo:live} before and after shows which classes hold the difference.
 *
 * <pre>{@code java -Xms2g -Xmx2g -cp mesh-benchmarks/target/benchmarks.jar dev.inboard.mesh.bench.RetainedHeapMain
 *     [--services 1000] [--endpoints 10] [--seed N] [--histo]}</pre>
 */
public final class RetainedHeapMain {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final int GC_ROUNDS = 5;

  private RetainedHeapMain() {}

  public static void main(String[] args) throws Exception {
    int services = 1000;
    int endpoints = 10;
    long seed = XdsApplyBenchmark.SEED;
    boolean histo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--services" -> services = Integer.parseInt(args[++i]);
        case "--endpoints" -> endpoints = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--histo" -> histo = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --services N, --endpoints N, --seed N, --histo");
      }
    }
    DeltaResponses.FullConfig config = DeltaResponses.fullConfig(IstioScaleFixture.generate(services, endpoints, seed));
    int endpointCount = services * endpoints;

    try (XdsApplyHarness harness = new XdsApplyHarness(); XdsApplyHarness.Session session = harness.open()) {
      Map<String, long[]> before = histo ? histogram() : Map.of();
      long base = usedAfterGc();
      session.send(config.clusters());
      long afterCds = usedAfterGc();
      session.send(config.endpoints());
      long afterEds = usedAfterGc();
      session.send(config.listeners());
      session.send(config.routes());
      MeshSnapshot snapshot = session.requireHealthy();
      long afterAll = usedAfterGc();

      long total = afterAll - base;
      System.out.printf(Locale.ROOT, "JDK %s (%s), max heap %d MiB%n", System.getProperty("java.version"),
          System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
      System.out.printf(Locale.ROOT, "config: %d clusters, %d endpoints, %d listeners, %d route configurations "
              + "(%,d bytes on the wire)%n", snapshot.clusters().size(), endpointCount, snapshot.listeners().size(),
          snapshot.routes().size(), config.totalBytes());
      System.out.printf(Locale.ROOT, "retained after CDS:           %,12d bytes (%,d per cluster)%n",
          afterCds - base, (afterCds - base) / services);
      System.out.printf(Locale.ROOT, "retained by EDS:              %,12d bytes (%,d per endpoint)%n",
          afterEds - afterCds, (afterEds - afterCds) / endpointCount);
      System.out.printf(Locale.ROOT, "retained by LDS + RDS:        %,12d bytes%n", afterAll - afterEds);
      System.out.printf(Locale.ROOT, "retained in total:            %,12d bytes%n", total);
      System.out.printf(Locale.ROOT, "total per endpoint:           %,12d bytes (target <= 1024)%n",
          total / endpointCount);
      if (histo) {
        printGrowth(before, histogram());
      }
      Reference.reachabilityFence(snapshot);
    }
    Reference.reachabilityFence(config);
  }

  /** Used heap after several full collections: the smallest reading, as late finalisation can free a little more. */
  private static long usedAfterGc() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
      min = Math.min(min, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /** {@code jmap -histo:live} of this process: class name to {instances, bytes}. */
  private static Map<String, long[]> histogram() throws IOException, InterruptedException {
    Path jmap = Path.of(System.getProperty("java.home"), "bin", "jmap");
    if (!Files.isExecutable(jmap)) {
      System.out.println("(no jmap at " + jmap + "; skipping the histogram)");
      return Map.of();
    }
    Process p = new ProcessBuilder(jmap.toString(), "-histo:live", Long.toString(ProcessHandle.current().pid()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Map<String, long[]> classes = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return classes;
  }

  private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return;
    }
    List<Map.Entry<String, long[]>> grown = after.entrySet().stream()
        .map(e -> {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
        })
        .filter(e -> e.getValue()[1] > 0)
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
        .toList();
    long sum = grown.stream().mapToLong(e -> e.getValue()[1]).sum();
    System.out.printf(Locale.ROOT, "%njmap -histo:live growth, top classes (sum of all growth %,d bytes):%n", sum);
    System.out.printf(Locale.ROOT, "%14s %14s  %s%n", "instances", "bytes", "class");
    grown.stream().limit(25).forEach(e -> System.out.printf(Locale.ROOT, "%,14d %,14d  %s%n",
        e.getValue()[0], e.getValue()[1], e.getKey()));
  }
}
