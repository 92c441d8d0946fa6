package dev.inboard.mesh.lb;

import java.util.random.RandomGenerator;

/**
 * Envoy's least request. Equal weights: {@code choiceCount} hosts drawn at random (with replacement) and the one
 * with the fewest active requests wins, the first drawn on a tie. Unequal weights: earliest deadline first where a
 * host's weight is {@code weight / (active + 1)^bias}, read each time the host is queued again.
 */
final class LeastRequestPicker implements HostPicker {
  private final Host[] hosts;
  private final int choiceCount;
  private final RandomGenerator random;
  private final EdfScheduler weighted;

  LeastRequestPicker(Host[] hosts, int choiceCount, double activeRequestBias, RandomGenerator random) {
    this.hosts = hosts;
    this.choiceCount = choiceCount;
    this.random = random;
    if (Weights.allEqual(hosts)) {
      weighted = null;
    } else {
      weighted = new EdfScheduler(hosts.length, i -> effectiveWeight(hosts[i], activeRequestBias));
    }
  }

  static double effectiveWeight(Host host, double bias) {
    int active = Math.max(0, host.activeRequests());
    if (bias == 0) {
      return host.weight();
    }
    if (bias == 1.0) {
      return host.weight() / (active + 1.0);
    }
    return host.weight() / Math.pow(active + 1.0, bias);
  }

  @Override
  public Host pick(long hash, boolean hasHash, int attempt) {
    if (weighted != null) {
      return hosts[weighted.pick()];
    }
    Host best = hosts[random.nextInt(hosts.length)];
    for (int i = 1; i < choiceCount; i++) {
      Host candidate = hosts[random.nextInt(hosts.length)];
      if (candidate.activeRequests() < best.activeRequests()) {
        best = candidate;
      }
    }
    return best;
  }
}
