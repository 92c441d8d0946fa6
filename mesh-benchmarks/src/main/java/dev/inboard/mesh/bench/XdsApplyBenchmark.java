package dev.inboard.mesh.bench;

import dev.inboard.mesh.snapshot.MeshSnapshot;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What it costs the xDS client to take istiod's configuration for a mesh of {@code services} services with
 * {@code endpointsPerService} pods each ({@link IstioScaleFixture}), over Delta ADS from an {@link InProcessAdsServer}
 * that sends serialized responses. Each figure covers decoding, validation, applying, the ACK and publishing the
 * snapshot, all on the benchmark thread. Besides JMH's figures, each fork prints the benchmark thread's CPU time per
 * operation for every measured iteration ({@link ThreadCpuMeter}).
 */
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class XdsApplyBenchmark {
  static final long SEED = 20261121L;

  /** A fresh client per iteration, given the whole configuration. */
  @State(Scope.Benchmark)
  public static class FullApply {
    @Param("1000")
    public int services;
    @Param("10")
    public int endpointsPerService;

    final ThreadCpuMeter cpu = new ThreadCpuMeter("fullApply", "ms", 1e6);
    DeltaResponses.FullConfig config;
    XdsApplyHarness harness;
    XdsApplyHarness.Session session;
    long applies;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      config = DeltaResponses.fullConfig(IstioScaleFixture.generate(services, endpointsPerService, SEED));
      harness = new XdsApplyHarness();
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
      cpu.start(iteration.getType() == IterationType.MEASUREMENT, applies);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
      cpu.stop(applies);
      if (session != null) {
        session.close();
        session = null;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      cpu.print();
      harness.close();
    }
  }

  /**
   * Creates and starts a client, sends CDS, EDS, LDS and RDS, and returns the snapshot, which must be complete.
   * One invocation per iteration, so every one meets a cold client.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 10)
  @Measurement(iterations = 30)
  public MeshSnapshot fullApply(FullApply state) throws InterruptedException {
    state.session = state.harness.open();
    MeshSnapshot snapshot = state.session.apply(state.config);
    state.applies++;
    return snapshot;
  }

  /**
   * A client holding the whole configuration, and prepared EDS updates that each move one pod of one cluster:
   * {@value #CHANGED_CLUSTERS} seeded clusters, first each with its first pod replaced, then each restored, over and
   * over, so every update is a real change the client must apply and publish.
   */
  @State(Scope.Benchmark)
  public static class SteadyState {
    static final int CHANGED_CLUSTERS = 64;

    @Param("1000")
    public int services;
    @Param("10")
    public int endpointsPerService;

    final ThreadCpuMeter cpu = new ThreadCpuMeter("oneEndpointChange", "us", 1e3);
    XdsApplyHarness harness;
    XdsApplyHarness.Session session;
    byte[][] updates;
    int next;
    long sent;
    long initialVersion;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
      IstioScaleFixture fixture = IstioScaleFixture.generate(services, endpointsPerService, SEED);
      harness = new XdsApplyHarness();
      session = harness.open();
      initialVersion = session.apply(DeltaResponses.fullConfig(fixture)).version();

      SplittableRandom random = new SplittableRandom(SEED);
      Set<Integer> picked = new LinkedHashSet<>();
      while (picked.size() < Math.min(CHANGED_CLUSTERS, services)) {
        picked.add(random.nextInt(services));
      }
      List<byte[]> replaced = new ArrayList<>();
      List<byte[]> restored = new ArrayList<>();
      for (int index : picked) {
        ClusterLoadAssignment original = fixture.loadAssignments().get(index);
        replaced.add(DeltaResponses.endpointUpdate(fixture.withFirstPodReplaced(index), "2", "eds-replaced"));
        restored.add(DeltaResponses.endpointUpdate(original, "3", "eds-restored"));
      }
      List<byte[]> all = new ArrayList<>(replaced);
      all.addAll(restored);
      updates = all.toArray(new byte[0][]);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
      cpu.start(iteration.getType() == IterationType.MEASUREMENT, sent);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
      cpu.stop(sent);
    }

    /** Every update must have been applied as a change (one new snapshot each) and none refused. */
    @TearDown(Level.Trial)
    public void verifyAndClose() {
      cpu.print();
      try {
        MeshSnapshot last = session.requireHealthy();
        if (last.version() != initialVersion + sent) {
          throw new IllegalStateException("expected one snapshot per update: " + sent + " updates took the version from "
              + initialVersion + " to " + last.version());
        }
      } finally {
        session.close();
        harness.close();
      }
    }
  }

  /** Sends one EDS update that changes one endpoint of one cluster; returns the snapshot it produced. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 5, time = 2)
  public MeshSnapshot oneEndpointChange(SteadyState state) {
    state.session.send(state.updates[state.next]);
    state.next = (state.next + 1) % state.updates.length;
    state.sent++;
    return state.session.client().snapshot();
  }
}
