package dev.inboard.mesh.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private static final String CLUSTER = "outbound|9080|v1|reviews.default.svc.cluster.local";
  private static final Duration TEN_S = Duration.ofSeconds(10);

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger changes = new AtomicInteger();

  /** Istio-like settings: every consecutive-error type enforced, all hosts may be ejected. */
  private static OutlierDetection config(long consecutive5xx, long consecutiveGateway, int enforcingGateway,
      boolean split, int enforcingLocal, int maxEjectionPercent, boolean alwaysEjectOne) {
    return new OutlierDetection(consecutive5xx, TEN_S, Duration.ofSeconds(30), maxEjectionPercent, 100, 100, 5, 100,
        1900, consecutiveGateway, enforcingGateway, split, 5, enforcingLocal, 100, 85, 0, 0, 5, 50,
        Duration.ofSeconds(300), Duration.ZERO, true, alwaysEjectOne);
  }

  private static OutlierDetection consecutive5xx(long n) {
    return config(n, 5, 0, false, 100, 100, false);
  }

  private static List<Host> hosts(int n) {
    List<Host> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Host(new LbEndpoint(new SocketAddress("10.9.0." + i, 9080), HealthStatus.HEALTHY, 1,
          Metadata.EMPTY, ""), Locality.EMPTY, 0));
    }
    return out;
  }

  private OutlierDetector detector(OutlierDetection config, List<Host> hosts) {
    OutlierDetector d = new OutlierDetector(CLUSTER, config, clock, new Random(3), changes::incrementAndGet);
    d.hostsChanged(hosts);
    return d;
  }

  private static void fail(OutlierDetector d, Host h, int times, int status) {
    for (int i = 0; i < times; i++) {
      d.reportHttpStatus(h, status);
    }
  }

  @Test
  void consecutive5xx_reachesThreshold_ejectsAndNotifies() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(consecutive5xx(3), hs);
    fail(d, hs.get(0), 2, 500);
    assertThat(hs.get(0).ejected()).isFalse();
    fail(d, hs.get(0), 1, 500);
    assertThat(hs.get(0).ejected()).isTrue();
    assertThat(changes.get()).isEqualTo(1);
    assertThat(d.activeEjections()).isEqualTo(1);
  }

  @Test
  void consecutive5xx_interruptedBySuccess_startsOver() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(consecutive5xx(3), hs);
    fail(d, hs.get(0), 2, 503);
    d.reportHttpStatus(hs.get(0), 200);
    fail(d, hs.get(0), 2, 503);
    assertThat(hs.get(0).ejected()).isFalse();
  }

  @Test
  void ejection_afterBaseTime_unejectedOnTheIntervalTick() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(consecutive5xx(3), hs);
    fail(d, hs.get(0), 3, 500);
    clock.forward(Duration.ofSeconds(20));
    assertThat(hs.get(0).ejected()).isTrue();
    clock.forward(TEN_S);
    assertThat(hs.get(0).ejected()).isFalse();
    assertThat(changes.get()).isEqualTo(2);
  }

  @Test
  void ejection_repeated_growsByBaseTimeAndDecaysWhileHealthy() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(consecutive5xx(3), hs);
    fail(d, hs.get(0), 3, 500);
    clock.forward(Duration.ofSeconds(30));
    assertThat(hs.get(0).ejected()).isFalse();
    // Ejected again at once: multiplier 2, 60 s.
    fail(d, hs.get(0), 3, 500);
    clock.forward(Duration.ofSeconds(50));
    assertThat(hs.get(0).ejected()).isTrue();
    clock.forward(TEN_S);
    assertThat(hs.get(0).ejected()).isFalse();
    // Two healthy intervals bring the multiplier from 2 to 0; the next ejection lasts the base time again.
    clock.forward(Duration.ofSeconds(20));
    fail(d, hs.get(0), 3, 500);
    clock.forward(Duration.ofSeconds(30));
    assertThat(hs.get(0).ejected()).isFalse();
    assertThat(d.ejections(hs.get(0))).isEqualTo(3);
  }

  @Test
  void maxEjectionPercent_wouldBeExceeded_keepsTheHost() {
    List<Host> hs = hosts(4);
    OutlierDetector d = detector(config(3, 5, 0, false, 100, 10, false), hs);
    fail(d, hs.get(0), 3, 500);
    assertThat(hs.get(0).ejected()).isFalse();
  }

  @Test
  void alwaysEjectOneHost_ejectsOneEvenAboveThePercentage() {
    List<Host> hs = hosts(4);
    OutlierDetector d = detector(config(3, 5, 0, false, 100, 10, true), hs);
    fail(d, hs.get(0), 3, 500);
    fail(d, hs.get(1), 3, 500);
    assertThat(hs.get(0).ejected()).isTrue();
    assertThat(hs.get(1).ejected()).isFalse();
  }

  @Test
  void maxEjectionPercent_fifty_ejectsAtMostHalf() {
    List<Host> hs = hosts(4);
    OutlierDetector d = detector(config(1, 5, 0, false, 100, 50, false), hs);
    hs.forEach(h -> fail(d, h, 1, 500));
    assertThat(hs.stream().filter(Host::ejected).count()).isEqualTo(2);
  }

  @Test
  void consecutiveGatewayFailure_notEnforcedByDefault() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(config(100, 3, 0, false, 100, 100, false), hs);
    fail(d, hs.get(0), 3, 502);
    assertThat(hs.get(0).ejected()).isFalse();
  }

  @Test
  void consecutiveGatewayFailure_enforced_ejectsOnGatewayErrorsOnly() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(config(100, 3, 100, false, 100, 100, false), hs);
    fail(d, hs.get(0), 2, 504);
    fail(d, hs.get(0), 1, 500);
    fail(d, hs.get(0), 2, 503);
    assertThat(hs.get(0).ejected()).isFalse();
    fail(d, hs.get(0), 1, 502);
    assertThat(hs.get(0).ejected()).isTrue();
  }

  @Test
  void localOrigin_notSplit_connectFailuresCountAsGatewayErrors() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(config(100, 3, 100, false, 0, 100, false), hs);
    for (int i = 0; i < 3; i++) {
      d.reportFailure(hs.get(0), UpstreamFailure.CONNECT_FAILED);
    }
    assertThat(hs.get(0).ejected()).isTrue();
  }

  @Test
  void localOrigin_split_countedSeparatelyAndResetByConnectSuccess() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(config(3, 3, 100, true, 100, 100, false), hs);
    for (int i = 0; i < 4; i++) {
      d.reportFailure(hs.get(0), UpstreamFailure.TIMEOUT);
    }
    d.reportConnectSuccess(hs.get(0));
    for (int i = 0; i < 4; i++) {
      d.reportFailure(hs.get(0), UpstreamFailure.CONNECT_FAILED);
    }
    // Neither the 5xx nor the gateway counters moved; the local-origin threshold (5) was not reached twice over.
    assertThat(hs.get(0).ejected()).isFalse();
    d.reportFailure(hs.get(0), UpstreamFailure.CONNECT_FAILED);
    assertThat(hs.get(0).ejected()).isTrue();
  }

  @Test
  void successRate_outlierBelowMeanMinusStdev_ejectedAtInterval() {
    List<Host> hs = hosts(6);
    OutlierDetector d = detector(consecutive5xx(1_000), hs);
    for (Host h : hs) {
      boolean bad = h == hs.get(5);
      for (int i = 0; i < 200; i++) {
        d.reportHttpStatus(h, bad && i % 2 == 0 ? 500 : 200);
      }
    }
    clock.forward(TEN_S);
    assertThat(hs.get(5).ejected()).isTrue();
    assertThat(hs.stream().filter(Host::ejected).count()).isEqualTo(1);
  }

  @Test
  void successRate_tooFewHostsWithVolume_noEjection() {
    List<Host> hs = hosts(6);
    OutlierDetector d = detector(consecutive5xx(1_000), hs);
    for (int i = 0; i < 200; i++) {
      d.reportHttpStatus(hs.get(0), i % 2 == 0 ? 500 : 200);
      d.reportHttpStatus(hs.get(1), 200);
    }
    clock.forward(TEN_S);
    assertThat(hs.get(0).ejected()).isFalse();
  }

  /** Only failure percentage enforced (external or local origin); consecutive and success-rate checks off. */
  private static OutlierDetection failurePercentage(boolean split, int enforcingExternal, int enforcingLocal) {
    return new OutlierDetection(1_000, TEN_S, Duration.ofSeconds(30), 100, 100, 0, 5, 100, 1900, 1_000, 0, split,
        1_000, 100, 0, 85, enforcingExternal, enforcingLocal, 5, 50, Duration.ofSeconds(300), Duration.ZERO, true,
        false);
  }

  @Test
  void failurePercentage_hostAtThreshold_ejectedAtInterval() {
    List<Host> hs = hosts(5);
    OutlierDetector d = detector(failurePercentage(false, 100, 0), hs);
    for (Host h : hs) {
      for (int i = 0; i < 60; i++) {
        // Host 4 fails 54 of 60 (90%); the others never fail.
        d.reportHttpStatus(h, h == hs.get(4) && i >= 6 ? 503 : 200);
      }
    }
    clock.forward(TEN_S);
    assertThat(hs).filteredOn(Host::ejected).containsExactly(hs.get(4));
  }

  @Test
  void failurePercentage_localOriginSplit_usesLocalVolumesAndEnforcement() {
    List<Host> hs = hosts(5);
    OutlierDetector d = detector(failurePercentage(true, 0, 100), hs);
    for (Host h : hs) {
      for (int i = 0; i < 60; i++) {
        if (h == hs.get(2) && i >= 5) {
          d.reportFailure(h, UpstreamFailure.CONNECT_FAILED);
        } else {
          d.reportConnectSuccess(h);
        }
        d.reportHttpStatus(h, h == hs.get(3) ? 500 : 200);
      }
    }
    clock.forward(TEN_S);
    // Host 3's 100% external failures are not enforced (0%); host 2's local-origin failures are.
    assertThat(hs).filteredOn(Host::ejected).containsExactly(hs.get(2));
  }

  @Test
  void ejectionJitter_addsUpToTheMaximumPerEjection() {
    List<Host> hs = hosts(3);
    OutlierDetection jittered = new OutlierDetection(1, TEN_S, Duration.ofSeconds(30), 100, 100, 100, 5, 100, 1900,
        5, 0, false, 5, 100, 100, 85, 0, 0, 5, 50, Duration.ofSeconds(300), Duration.ofSeconds(9), true, false);
    OutlierDetector d = detector(jittered, hs);
    fail(d, hs.get(0), 1, 500);
    clock.forward(Duration.ofSeconds(30));
    // Seeded jitter is above zero here, so the 30 s tick is too early; the next tick (40 s) is past 30 + 9.
    assertThat(hs.get(0).ejected()).isTrue();
    clock.forward(TEN_S);
    assertThat(hs.get(0).ejected()).isFalse();
  }

  @Test
  void hostsChanged_ejectedHostRemoved_releasesItsEjection() {
    List<Host> hs = hosts(3);
    OutlierDetector d = detector(consecutive5xx(1), hs);
    fail(d, hs.get(0), 1, 500);
    d.hostsChanged(hs.subList(1, 3));
    assertThat(d.activeEjections()).isZero();
  }

  @Test
  void close_stopsTheIntervalTimer() {
    OutlierDetector d = detector(consecutive5xx(1), hosts(1));
    assertThat(clock.pendingDelays()).containsExactly(TEN_S);
    d.close();
    assertThat(clock.pendingDelays()).isEmpty();
  }
}
