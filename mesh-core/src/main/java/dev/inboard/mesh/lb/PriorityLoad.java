package dev.inboard.mesh.lb;

import java.util.Arrays;

/**
 * How much of the traffic (percent) each priority takes from its healthy and from its degraded hosts, and which
 * priorities are in panic, computed as Envoy does:
 * <ul>
 *   <li>a priority's health is {@code min(100, overprovisioning * healthy / total)}, its degraded availability the
 *       same over degraded hosts; their sum over all priorities, capped at 100, is the normalized total;
 *   <li>loads are handed out from priority 0 down, each taking its share of the normalized total availability,
 *       healthy loads first, then degraded; rounding leftovers go to the first priority with availability;
 *   <li>unless the normalized total is 100, a priority is in panic when its healthy plus degraded share falls
 *       below the panic threshold; when every priority is, load is split by total host count and every host is
 *       used.
 * </ul>
 */
public final class PriorityLoad {
  final int[] healthy;
  final int[] degraded;
  final boolean[] panic;

  private PriorityLoad(int[] healthy, int[] degraded, boolean[] panic) {
    this.healthy = healthy;
    this.degraded = degraded;
    this.panic = panic;
  }

  static PriorityLoad compute(HostSet[] sets, int overprovisioningFactor, double panicThresholdPercent) {
    int n = Math.max(1, sets.length);
    int[] health = new int[n];
    int[] degradedAvailability = new int[n];
    for (int p = 0; p < sets.length; p++) {
      HostSet s = sets[p];
      if (s.all.length > 0) {
        health[p] = (int) Math.min(100, (long) overprovisioningFactor * s.healthy.length / s.all.length);
        degradedAvailability[p] = (int) Math.min(100, (long) overprovisioningFactor * s.degraded.length / s.all.length);
      }
    }
    int normalizedTotal = 0;
    for (int p = 0; p < n; p++) {
      normalizedTotal += health[p] + degradedAvailability[p];
    }
    normalizedTotal = Math.min(100, normalizedTotal);

    int[] healthyLoad = new int[n];
    int[] degradedLoad = new int[n];
    boolean[] panic = new boolean[n];
    if (panicThresholdPercent <= 0 && normalizedTotal == 0) {
      // Nothing is available and panic is off: all load to priority 0, where picking finds no host.
      healthyLoad[0] = 100;
      return new PriorityLoad(healthyLoad, degradedLoad, panic);
    }
    boolean totalPanic = true;
    for (int p = 0; p < n; p++) {
      // Never in panic while the priorities together can carry all the traffic.
      panic[p] = normalizedTotal < 100 && p < sets.length && sets[p].inPanic(panicThresholdPercent);
      totalPanic &= panic[p];
    }
    if (totalPanic) {
      loadInTotalPanic(sets, healthyLoad);
      return new PriorityLoad(healthyLoad, degradedLoad, panic);
    }
    if (normalizedTotal == 0) {
      healthyLoad[0] = 100;
      return new PriorityLoad(healthyLoad, degradedLoad, panic);
    }
    int remaining = 100;
    for (int p = 0; p < n; p++) {
      healthyLoad[p] = Math.min(remaining, health[p] * 100 / normalizedTotal);
      remaining -= healthyLoad[p];
    }
    for (int p = 0; p < n; p++) {
      degradedLoad[p] = Math.min(remaining, degradedAvailability[p] * 100 / normalizedTotal);
      remaining -= degradedLoad[p];
    }
    if (remaining > 0) {
      for (int p = 0; p < n; p++) {
        if (health[p] > 0) {
          healthyLoad[p] += remaining;
          remaining = 0;
          break;
        }
      }
      for (int p = 0; p < n && remaining > 0; p++) {
        if (degradedAvailability[p] > 0) {
          degradedLoad[p] += remaining;
          remaining = 0;
        }
      }
    }
    return new PriorityLoad(healthyLoad, degradedLoad, panic);
  }

  private static void loadInTotalPanic(HostSet[] sets, int[] load) {
    int total = 0;
    for (HostSet s : sets) {
      total += s.all.length;
    }
    if (total == 0) {
      load[0] = 100;
      return;
    }
    int remaining = 100;
    for (int p = 0; p < sets.length; p++) {
      load[p] = 100 * sets[p].all.length / total;
      remaining -= load[p];
    }
    for (int p = 0; p < sets.length; p++) {
      if (sets[p].all.length > 0) {
        load[p] += remaining;
        break;
      }
    }
  }

  /** The healthy load of each priority, in percent. */
  public int[] healthyLoad() {
    return healthy.clone();
  }

  /** The degraded load of each priority, in percent. */
  public int[] degradedLoad() {
    return degraded.clone();
  }

  public boolean inPanic(int priority) {
    return panic[priority];
  }

  /**
   * The priority and availability for a value in [0, 100): walks the cumulative healthy loads, then the degraded
   * ones. Returns {@code priority} for healthy, {@code -1 - priority} for degraded.
   */
  int choose(int percentile) {
    int target = percentile + 1;
    int sum = 0;
    for (int p = 0; p < healthy.length; p++) {
      sum += healthy[p];
      if (target <= sum) {
        return p;
      }
    }
    for (int p = 0; p < degraded.length; p++) {
      sum += degraded[p];
      if (target <= sum) {
        return -1 - p;
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "healthy " + Arrays.toString(healthy) + ", degraded " + Arrays.toString(degraded) + ", panic "
        + Arrays.toString(panic);
  }
}
