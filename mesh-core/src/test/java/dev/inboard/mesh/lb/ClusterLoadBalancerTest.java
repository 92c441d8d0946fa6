package dev.inboard.mesh.lb;

import static dev.inboard.mesh.lb.Hosts.CLUSTER;
import static dev.inboard.mesh.lb.Hosts.ZONE_A;
import static dev.inboard.mesh.lb.Hosts.ZONE_B;
import static dev.inboard.mesh.lb.Hosts.count;
import static dev.inboard.mesh.lb.Hosts.host;
import static dev.inboard.mesh.lb.Hosts.lb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterLoadBalancerTest {

  private static List<Host> hosts(int priority, int healthy, int unhealthy, String prefix) {
    List<Host> out = new ArrayList<>();
    for (int i = 0; i < healthy + unhealthy; i++) {
      out.add(host(prefix + i, 1, i < healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, ZONE_A, priority));
    }
    return out;
  }

  @Test
  void roundRobin_weights_exactProportionsOverEveryCycle() {
    List<Host> hs = List.of(host("10.0.0.1", 1, HealthStatus.HEALTHY, ZONE_A, 0),
        host("10.0.0.2", 2, HealthStatus.HEALTHY, ZONE_A, 0), host("10.0.0.3", 3, HealthStatus.UNKNOWN, ZONE_A, 0),
        host("10.0.0.4", 4, HealthStatus.HEALTHY, ZONE_A, 0));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hs);
    for (int cycle = 0; cycle < 5; cycle++) {
      assertThat(count(lb, PickRequest.ANY, 10))
          .isEqualTo(Map.of("10.0.0.1", 1, "10.0.0.2", 2, "10.0.0.3", 3, "10.0.0.4", 4));
    }
  }

  @Test
  void roundRobin_equalWeights_visitsEveryHostOncePerCycle() {
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hosts(0, 5, 0, "10.0.1."));
    assertThat(count(lb, PickRequest.ANY, 5)).hasSize(5).allSatisfy((h, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void leastRequest_equalWeights_powerOfTwoChoicesAvoidsTheLoadedHost() {
    List<Host> hs = hosts(0, 4, 0, "10.0.2.");
    for (int i = 0; i < 10; i++) {
      hs.get(0).requestStarted();
    }
    // The loaded host wins only when both draws land on it: 1/16 = 6.25%; tolerance +-1.5 points at 20,000 picks
    // (about 7 standard deviations).
    Map<String, Integer> counts = count(lb(LbPolicy.LeastRequest.DEFAULT, hs), PickRequest.ANY, 20_000);
    assertThat(counts.get("10.0.2.0") / 20_000.0).isCloseTo(0.0625, within(0.015));
    assertThat(counts.get("10.0.2.1") / 20_000.0).isCloseTo((1 - 0.0625) / 3, within(0.02));
  }

  @Test
  void leastRequest_weighted_activeRequestsLowerTheEffectiveWeight() {
    Host light = host("10.0.3.1", 2, HealthStatus.HEALTHY, ZONE_A, 0);
    Host heavy = host("10.0.3.2", 4, HealthStatus.HEALTHY, ZONE_A, 0);
    heavy.requestStarted();
    // Effective weights 2/(0+1) and 4/(1+1): equal shares, exactly, under EDF (without the active request the
    // heavy host would take two thirds).
    Map<String, Integer> counts = count(lb(LbPolicy.LeastRequest.DEFAULT, List.of(light, heavy)), PickRequest.ANY,
        1000);
    assertThat(counts.get("10.0.3.1")).isBetween(499, 501);
  }

  @Test
  void random_uniformOverHealthyHosts() {
    Map<String, Integer> counts = count(lb(new LbPolicy.Random(), hosts(0, 4, 1, "10.0.4.")), PickRequest.ANY,
        20_000);
    assertThat(counts).doesNotContainKey("10.0.4.4");
    counts.values().forEach(n -> assertThat(n / 20_000.0).isCloseTo(0.25, within(0.02)));
  }

  @Test
  void priorities_healthyP0_takesAllTraffic() {
    List<Host> hs = new ArrayList<>(hosts(0, 10, 0, "10.1.0."));
    hs.addAll(hosts(1, 10, 0, "10.1.1."));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hs);
    assertThat(lb.priorityLoad().healthyLoad()).containsExactly(100, 0);
  }

  @Test
  void priorities_halfHealthyP0_spillsByOverprovisioning() {
    // Envoy's documented example: 50% healthy * 1.4 = 70% stays on P0, 30% spills to P1.
    List<Host> hs = new ArrayList<>(hosts(0, 5, 5, "10.1.0."));
    hs.addAll(hosts(1, 10, 0, "10.1.1."));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hs);
    assertThat(lb.priorityLoad().healthyLoad()).containsExactly(70, 30);
    Map<String, Integer> counts = count(lb, PickRequest.ANY, 10_000);
    int p0 = counts.entrySet().stream().filter(e -> e.getKey().startsWith("10.1.0.")).mapToInt(Map.Entry::getValue)
        .sum();
    assertThat(p0 / 10_000.0).isCloseTo(0.70, within(0.03));
    assertThat(counts).doesNotContainKeys("10.1.0.5", "10.1.0.9");
  }

  @Test
  void priorities_threeLevelsPartlyHealthy_normalizedToOneHundred() {
    // Health 20%*1.4=28, 40%*1.4=56, 10%*1.4=14: total 98, normalized 28/98, 56/98, 14/98 -> 28, 57, 14 (+1 to P0).
    List<Host> hs = new ArrayList<>(hosts(0, 2, 8, "10.2.0."));
    hs.addAll(hosts(1, 4, 6, "10.2.1."));
    hs.addAll(hosts(2, 1, 9, "10.2.2."));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), panicThresholdOff(), hs, Map.of(), 1);
    assertThat(lb.priorityLoad().healthyLoad()).containsExactly(29, 57, 14);
  }

  @Test
  void priorities_healthyAndDegradedLevels_splitAsEnvoyDocuments() {
    // Envoy's worked example (overprovisioning 1.0): health 10/20/10%, degraded 20/10/0% -> normalized total 70;
    // healthy loads 14/28/14 (+2 rounding to P0), degraded loads 28/14/0.
    List<Host> hs = new ArrayList<>();
    int[][] levels = {{1, 2, 7}, {2, 1, 7}, {1, 0, 9}};
    for (int p = 0; p < 3; p++) {
      int n = 0;
      for (int k = 0; k < levels[p][0]; k++) {
        hs.add(host("10.2." + p + "." + n++, 1, HealthStatus.HEALTHY, ZONE_A, p));
      }
      for (int k = 0; k < levels[p][1]; k++) {
        hs.add(host("10.2." + p + "." + n++, 1, HealthStatus.DEGRADED, ZONE_A, p));
      }
      for (int k = 0; k < levels[p][2]; k++) {
        hs.add(host("10.2." + p + "." + n++, 1, HealthStatus.UNHEALTHY, ZONE_A, p));
      }
    }
    ClusterLoadBalancer lb = ClusterLoadBalancer.build(CLUSTER, new LbPolicy.RoundRobin(), panicThresholdOff(), 100,
        hs, Map.of(), new java.util.Random(1));
    assertThat(lb.priorityLoad().healthyLoad()).containsExactly(16, 28, 14);
    assertThat(lb.priorityLoad().degradedLoad()).containsExactly(28, 14, 0);
  }

  @Test
  void priorities_degradedOnly_servesFromDegradedHosts() {
    List<Host> hs = new ArrayList<>();
    hs.add(host("10.3.0.1", 1, HealthStatus.DEGRADED, ZONE_A, 0));
    hs.add(host("10.3.0.2", 1, HealthStatus.DRAINING, ZONE_A, 0));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), panicThresholdOff(), hs, Map.of(), 1);
    assertThat(lb.priorityLoad().degradedLoad()).containsExactly(100);
    assertThat(count(lb, PickRequest.ANY, 10)).isEqualTo(Map.of("10.3.0.1", 10));
  }

  @Test
  void panic_healthyBelowThreshold_usesEveryHost() {
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hosts(0, 1, 3, "10.4.0."));
    assertThat(lb.priorityLoad().inPanic(0)).isTrue();
    assertThat(count(lb, PickRequest.ANY, 4)).hasSize(4);
  }

  @Test
  void panic_lowP0ButPrioritiesCarryEverything_noPanic() {
    // P0: 1.4 * 1/4 = 35; P1: 100. Normalized total 100, so P0 is not in panic and serves only its healthy host.
    List<Host> hs = new ArrayList<>(hosts(0, 1, 3, "10.4.2."));
    hs.addAll(hosts(1, 4, 0, "10.4.3."));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hs);
    assertThat(lb.priorityLoad().inPanic(0)).isFalse();
    assertThat(lb.priorityLoad().healthyLoad()).containsExactly(35, 65);
    assertThat(count(lb, PickRequest.ANY, 2000)).doesNotContainKeys("10.4.2.1", "10.4.2.2", "10.4.2.3");
  }

  @Test
  void panic_atThreshold_staysOnHealthyHosts() {
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hosts(0, 2, 2, "10.4.1."));
    assertThat(lb.priorityLoad().inPanic(0)).isFalse();
    assertThat(count(lb, PickRequest.ANY, 8)).containsOnlyKeys("10.4.1.0", "10.4.1.1");
  }

  @Test
  void pick_allEjectedAndPanicOff_failsWithUhAndReason() {
    List<Host> hs = hosts(0, 2, 0, "10.5.0.");
    hs.forEach(h -> h.setEjected(true));
    PickResult r = lb(new LbPolicy.RoundRobin(), panicThresholdOff(), hs, Map.of(), 1).pick(PickRequest.ANY);
    assertThat(r).isEqualTo(new PickResult.NoHost(new Failure(ResponseFlag.UH, 503,
        "no healthy upstream for " + CLUSTER + ": 2 of 2 endpoints ejected by outlier detection")));
  }

  @Test
  void pick_noEndpoints_failsWithUh() {
    PickResult r = lb(new LbPolicy.LeastRequest(2, 1.0), List.of()).pick(PickRequest.ANY);
    assertThat(((PickResult.NoHost) r).failure().reason())
        .isEqualTo("no healthy upstream for " + CLUSTER + ": no endpoints");
  }

  @Test
  void pick_mixedStates_reasonCountsEach() {
    List<Host> hs = hosts(0, 1, 1, "10.5.1.");
    hs.get(0).setEjected(true);
    hs.add(host("10.5.1.9", 1, HealthStatus.DRAINING, ZONE_A, 0));
    PickResult r = lb(new LbPolicy.RoundRobin(), panicThresholdOff(), hs, Map.of(), 1).pick(PickRequest.ANY);
    assertThat(((PickResult.NoHost) r).failure().reason()).endsWith(
        ": 1 of 3 endpoints ejected by outlier detection, 1 of 3 endpoints unhealthy, 1 of 3 endpoints draining");
  }

  @Test
  void localityWeighted_splitsByEffectiveLocalityWeight() {
    List<Host> hs = new ArrayList<>();
    hs.add(host("10.6.0.1", 1, HealthStatus.HEALTHY, ZONE_A, 0));
    hs.add(host("10.6.1.1", 1, HealthStatus.HEALTHY, ZONE_B, 0));
    hs.add(host("10.6.1.2", 1, HealthStatus.UNHEALTHY, ZONE_B, 0));
    Map<Integer, Map<Locality, Integer>> weights = Map.of(0, Map.of(ZONE_A, 1, ZONE_B, 3));
    // Zone B: 3 * min(1, 1.4 * 1/2) = 2.1 against zone A's 1: B gets 2.1 / 3.1, exactly per EDF cycle.
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), new CommonLbConfig(Fraction.ofPercent(50), true), hs,
        weights, 3);
    Map<String, Integer> counts = count(lb, PickRequest.ANY, 3100);
    assertThat(counts.get("10.6.1.1")).isBetween(2099, 2101);
    assertThat(counts).doesNotContainKey("10.6.1.2");
  }

  @Test
  void localityWeighted_off_ignoresLocalityWeights() {
    List<Host> hs = List.of(host("10.6.0.1", 1, HealthStatus.HEALTHY, ZONE_A, 0),
        host("10.6.1.1", 1, HealthStatus.HEALTHY, ZONE_B, 0));
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), CommonLbConfig.DEFAULT, hs,
        Map.of(0, Map.of(ZONE_A, 1, ZONE_B, 9)), 3);
    assertThat(count(lb, PickRequest.ANY, 100)).isEqualTo(Map.of("10.6.0.1", 50, "10.6.1.1", 50));
  }

  @Test
  void avoidHosts_reselectsUntilAnotherHost() {
    List<Host> hs = hosts(0, 2, 0, "10.7.0.");
    ClusterLoadBalancer lb = lb(new LbPolicy.RoundRobin(), hs);
    PickRequest retry = PickRequest.ANY.avoiding(Set.of(hs.get(0).address()), 1);
    assertThat(count(lb, retry, 20)).isEqualTo(Map.of("10.7.0.1", 20));
  }

  @Test
  void avoidHosts_noAttemptsLeft_keepsTheLastPick() {
    List<Host> hs = hosts(0, 1, 0, "10.7.1.");
    PickRequest retry = PickRequest.ANY.avoiding(Set.of(hs.get(0).address()), 3);
    assertThat(lb(new LbPolicy.RoundRobin(), hs).pick(retry)).isSameAs(hs.get(0));
  }

  private static CommonLbConfig panicThresholdOff() {
    return new CommonLbConfig(Fraction.NONE, false);
  }
}
