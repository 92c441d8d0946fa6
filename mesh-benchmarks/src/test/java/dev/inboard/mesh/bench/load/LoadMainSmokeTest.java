package dev.inboard.mesh.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proves that the load harness runs end to end for a moment: every client variant gets its configuration from the
 * local control plane and completes calls without a failure. No figure is checked.
 */
class LoadMainSmokeTest {

  @Test
  void oneShortRound_everyVariantCompletesCallsWithoutFailures() throws Exception {
    LoadMain.Options options = LoadMain.Options.parse("--rounds", "1", "--warmup-rounds", "0", "--requests", "50",
        "--qps-seconds", "0.3", "--callers", "4", "--in-process-backend");

    LoadMain.Report report = LoadMain.run(options);

    Map<String, List<RoundResult>> results = report.results();
    assertThat(results).containsOnlyKeys("okhttp", "grpc", "qps");
    assertThat(results.get("okhttp")).extracting(RoundResult::variant)
        .containsExactlyInAnyOrder("okhttp-plain", "okhttp-mesh");
    assertThat(results.get("grpc")).extracting(RoundResult::variant)
        .containsExactlyInAnyOrder("grpc-plain", "grpc-mesh", "grpc-xds");
    assertThat(results.get("qps")).extracting(RoundResult::variant)
        .containsExactlyInAnyOrder("grpc-plain", "grpc-mesh", "grpc-xds");
    results.values().stream().flatMap(List::stream).forEach(r -> {
      assertThat(r.failures()).as(r.variant()).isZero();
      assertThat(r.calls()).as(r.variant()).isPositive();
      assertThat(r.latencies().getTotalCount()).as(r.variant()).isPositive();
    });
    assertThat(results.get("okhttp")).allSatisfy(r -> assertThat(r.calls()).isEqualTo(50));
    assertThat(report.lines()).anyMatch(l -> l.contains("grpc-mesh / grpc-xds") && l.contains("qps"));
  }

  @Test
  void unknownSuite_isRefusedWithTheKnownOnes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadMain.Options.parse("--suites", "http3"))
        .hasMessageContaining("unknown suite http3").hasMessageContaining("okhttp, grpc, qps");
  }
}
