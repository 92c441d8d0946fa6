package dev.inboard.mesh.lb;

import static dev.inboard.mesh.lb.Hosts.ZONE_A;
import static dev.inboard.mesh.lb.Hosts.host;
import static dev.inboard.mesh.lb.Hosts.lb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashingLoadBalancerTest {

  private static List<Host> hosts(int n) {
    List<Host> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(host("10.8.0." + i));
    }
    return out;
  }

  private static Host picked(ClusterLoadBalancer lb, long hash) {
    return (Host) lb.pick(PickRequest.withHash(hash));
  }

  @Test
  void ringHash_sameHash_sameHostAcrossRebuilds() {
    ClusterLoadBalancer a = lb(LbPolicy.RingHash.DEFAULT, hosts(10));
    ClusterLoadBalancer b = lb(LbPolicy.RingHash.DEFAULT, hosts(10));
    Random r = new Random(11);
    for (int i = 0; i < 1000; i++) {
      long h = r.nextLong();
      assertThat(picked(a, h).address()).isEqualTo(picked(b, h).address());
    }
  }

  @Test
  void ringHash_ringSize_scaledFromMinimumRingSize() {
    // 10 equal hosts, min ring 1024: scale = ceil(0.1 * 1024) / 0.1 = 1030 entries, 103 per host.
    RingHashPicker ring = new RingHashPicker(hosts(10).toArray(new Host[0]), evenWeights(10),
        LbPolicy.RingHash.DEFAULT, new Random(1));
    assertThat(ring.size()).isEqualTo(1030);
  }

  @Test
  void ringHash_hostRemoved_onlyItsKeysAndFewOthersMove() {
    List<Host> ten = hosts(10);
    ClusterLoadBalancer before = lb(LbPolicy.RingHash.DEFAULT, ten);
    ClusterLoadBalancer after = lb(LbPolicy.RingHash.DEFAULT, ten.subList(0, 9));
    Random r = new Random(5);
    int keys = 20_000;
    int movedOthers = 0;
    int onRemoved = 0;
    for (int i = 0; i < keys; i++) {
      long h = r.nextLong();
      Host was = picked(before, h);
      Host now = picked(after, h);
      if (was == ten.get(9)) {
        onRemoved++;
      } else if (was != now) {
        movedOthers++;
      }
    }
    // The removed host held about a tenth of the keys. The ring keeps its size, so each survivor goes from 103 to
    // 114 entries: the 99 new entries (about 9.6% of the ring) take over the arcs before them, and most of those
    // arcs belonged to another survivor. Expected disruption is therefore ~8.7% of keys; allow up to 10%, and far
    // below a rehash-everything balancer (90%).
    assertThat(onRemoved / (double) keys).isCloseTo(0.1, within(0.03));
    assertThat(movedOthers / (double) keys).isLessThan(0.10);
  }

  @Test
  void ringHash_retryAvoidingPrevious_movesToAnotherHost() {
    ClusterLoadBalancer lb = lb(LbPolicy.RingHash.DEFAULT, hosts(5));
    Host first = picked(lb, 42);
    PickResult retry = lb.pick(PickRequest.withHash(42).avoiding(Set.of(first.address()), 10));
    assertThat(((Host) retry).address()).isNotEqualTo(first.address());
  }

  @Test
  void ringHash_weights_shareFollowsWeight() {
    List<Host> hs = List.of(host("10.8.1.1", 1, HealthStatus.HEALTHY, ZONE_A, 0),
        host("10.8.1.2", 3, HealthStatus.HEALTHY, ZONE_A, 0));
    Map<String, Integer> counts = countByHash(lb(LbPolicy.RingHash.DEFAULT, hs), 40_000);
    // Ketama rings are lumpy: +-5 points around the 75% share at ~1365 entries.
    assertThat(counts.get("10.8.1.2") / 40_000.0).isCloseTo(0.75, within(0.05));
  }

  @Test
  void maglev_equalWeights_tableSlotsDifferByAtMostOne() {
    Host[] hs = hosts(10).toArray(new Host[0]);
    MaglevPicker maglev = new MaglevPicker(hs, evenWeights(10), LbPolicy.Maglev.DEFAULT, new Random(1));
    Map<Host, Integer> slots = new HashMap<>();
    for (Host h : maglev.table()) {
      slots.merge(h, 1, Integer::sum);
    }
    assertThat(slots).hasSize(10);
    int min = slots.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    int max = slots.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  @Test
  void maglev_weighted_slotsProportionalToWeight() {
    Host[] hs = {host("10.8.2.1", 1, HealthStatus.HEALTHY, ZONE_A, 0),
        host("10.8.2.2", 2, HealthStatus.HEALTHY, ZONE_A, 0)};
    MaglevPicker maglev = new MaglevPicker(hs, new double[] {1 / 3.0, 2 / 3.0}, new LbPolicy.Maglev(65537),
        new Random(1));
    long heavy = java.util.Arrays.stream(maglev.table()).filter(h -> h == hs[1]).count();
    assertThat(heavy / 65537.0).isCloseTo(2 / 3.0, within(0.001));
  }

  @Test
  void maglev_hostRemoved_fewOtherKeysMove() {
    List<Host> ten = hosts(10);
    ClusterLoadBalancer before = lb(LbPolicy.Maglev.DEFAULT, ten);
    ClusterLoadBalancer after = lb(LbPolicy.Maglev.DEFAULT, ten.subList(0, 9));
    Random r = new Random(9);
    int moved = 0;
    for (int i = 0; i < 20_000; i++) {
      long h = r.nextLong();
      Host was = picked(before, h);
      if (was != ten.get(9) && was != picked(after, h)) {
        moved++;
      }
    }
    // Maglev trades some stability for balance; the paper reports a few percent of disruption.
    assertThat(moved / 20_000.0).isLessThan(0.05);
  }

  @Test
  void ringHash_localityWeighted_zeroWeightLocalityGetsNoKeys() {
    List<Host> hs = List.of(host("10.8.3.1", 1, HealthStatus.HEALTHY, Hosts.ZONE_A, 0),
        host("10.8.3.2", 1, HealthStatus.HEALTHY, Hosts.ZONE_B, 0),
        host("10.8.3.3", 1, HealthStatus.HEALTHY, Hosts.ZONE_B, 0));
    ClusterLoadBalancer lb = lb(LbPolicy.RingHash.DEFAULT,
        new dev.inboard.mesh.config.ClusterConfig.CommonLbConfig(dev.inboard.mesh.config.Fraction.ofPercent(50), true),
        hs, Map.of(0, Map.of(Hosts.ZONE_A, 0, Hosts.ZONE_B, 2)), 1);
    Map<String, Integer> counts = countByHash(lb, 10_000);
    assertThat(counts).containsOnlyKeys("10.8.3.2", "10.8.3.3");
  }

  @Test
  void maglev_viaCluster_sameHashSameHostAndEjectedHostAvoided() {
    List<Host> hs = hosts(5);
    ClusterLoadBalancer lb = lb(LbPolicy.Maglev.DEFAULT, hs);
    Host chosen = picked(lb, 1234567L);
    assertThat(picked(lb, 1234567L)).isSameAs(chosen);
    chosen.setEjected(true);
    ClusterLoadBalancer rebuilt = lb(LbPolicy.Maglev.DEFAULT, hs);
    Random r = new Random(2);
    for (int i = 0; i < 2000; i++) {
      assertThat(picked(rebuilt, r.nextLong())).isNotSameAs(chosen);
    }
  }

  @Test
  void maglev_retryAvoidingPrevious_movesToAnotherHost() {
    ClusterLoadBalancer lb = lb(LbPolicy.Maglev.DEFAULT, hosts(5));
    Random r = new Random(8);
    for (int i = 0; i < 200; i++) {
      long h = r.nextLong();
      Host first = picked(lb, h);
      PickResult retry = lb.pick(PickRequest.withHash(h).avoiding(Set.of(first.address()), 5));
      assertThat(((Host) retry).address()).isNotEqualTo(first.address());
    }
  }

  private static Map<String, Integer> countByHash(ClusterLoadBalancer lb, int keys) {
    Random r = new Random(3);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      counts.merge(picked(lb, r.nextLong()).address().host(), 1, Integer::sum);
    }
    return counts;
  }

  private static double[] evenWeights(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    return w;
  }
}
