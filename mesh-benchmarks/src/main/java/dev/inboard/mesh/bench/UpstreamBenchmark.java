package dev.inboard.mesh.bench;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.CircuitBreakers.Thresholds;
import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.lb.ClusterLoadBalancer;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.CircuitBreaker;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RoutingPriority;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-request upstream costs: picking an endpoint (round robin, least request, ring hash) among 10 and 1,000
 * endpoints, and taking plus releasing a circuit breaker permit from two threads, beside a Resilience4j semaphore
 * bulkhead doing the same. Seeded: the same hosts, loads and hashes on every run.
 */
@Fork(2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UpstreamBenchmark {
  private static final String CLUSTER = "outbound|9080|v1|reviews.default.svc.cluster.local";

  @State(Scope.Thread)
  public static class Pick {
    @Param({"10", "1000"})
    int endpoints;

    ClusterLoadBalancer roundRobin;
    ClusterLoadBalancer leastRequest;
    ClusterLoadBalancer ringHash;
    long hash;

    @Setup
    public void setUp() {
      SplittableRandom seed = new SplittableRandom(42);
      List<Host> hosts = new ArrayList<>();
      for (int i = 0; i < endpoints; i++) {
        Host h = new Host(new LbEndpoint(new SocketAddress("10.4." + (i / 250) + "." + (i % 250), 9080),
            HealthStatus.HEALTHY, 1, Metadata.EMPTY, ""), new Locality("us-east1", "us-east1-b", ""), 0);
        for (int r = seed.nextInt(4); r > 0; r--) {
          h.requestStarted();
        }
        hosts.add(h);
      }
      RandomGenerator random = new SplittableRandom(7);
      roundRobin = lb(new LbPolicy.RoundRobin(), hosts, random);
      leastRequest = lb(LbPolicy.LeastRequest.DEFAULT, hosts, random);
      ringHash = lb(LbPolicy.RingHash.DEFAULT, hosts, random);
      hash = seed.nextLong();
    }

    private static ClusterLoadBalancer lb(LbPolicy policy, List<Host> hosts, RandomGenerator random) {
      return ClusterLoadBalancer.build(CLUSTER, policy, CommonLbConfig.DEFAULT, 140, hosts, Map.of(), random);
    }
  }

  @Benchmark
  public Object pickRoundRobin(Pick s) {
    return s.roundRobin.pick(PickRequest.ANY);
  }

  @Benchmark
  public Object pickLeastRequest(Pick s) {
    return s.leastRequest.pick(PickRequest.ANY);
  }

  @Benchmark
  public Object pickRingHash(Pick s) {
    s.hash += 0x9E3779B97F4A7C15L;
    return s.ringHash.pickByHash(s.hash);
  }

  @State(Scope.Benchmark)
  public static class Limits {
    CircuitBreaker circuitBreaker;
    Bulkhead bulkhead;

    @Setup
    public void setUp() {
      Thresholds t = new Thresholds(1024, 1024, 1024, 3, Optional.empty());
      circuitBreaker = new CircuitBreaker(CLUSTER, new CircuitBreakers(t, t));
      bulkhead = Bulkhead.of(CLUSTER, BulkheadConfig.custom().maxConcurrentCalls(1024)
          .maxWaitDuration(Duration.ZERO).build());
    }
  }

  @Benchmark
  @Threads(2)
  public void circuitBreakerAcquireRelease(Limits s, Blackhole bh) {
    Admission a = s.circuitBreaker.tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    bh.consume(a);
    if (a instanceof Permit p) {
      p.release();
    }
  }

  @Benchmark
  @Threads(2)
  public void circuitBreakerTakeRelease(Limits s, Blackhole bh) {
    boolean ok = s.circuitBreaker.tryTake(Resource.REQUESTS, RoutingPriority.DEFAULT);
    bh.consume(ok);
    if (ok) {
      s.circuitBreaker.release(Resource.REQUESTS, RoutingPriority.DEFAULT);
    }
  }

  @Benchmark
  @Threads(2)
  public void resilience4jBulkheadAcquireRelease(Limits s, Blackhole bh) {
    boolean ok = s.bulkhead.tryAcquirePermission();
    bh.consume(ok);
    if (ok) {
      s.bulkhead.onComplete();
    }
  }
}
