package dev.inboard.mesh.lb;

import java.util.random.RandomGenerator;

/** Envoy's random policy: any host, uniformly, ignoring weights. */
final class RandomPicker implements HostPicker {
  private final Host[] hosts;
  private final RandomGenerator random;

  RandomPicker(Host[] hosts, RandomGenerator random) {
    this.hosts = hosts;
    this.random = random;
  }

  @Override
  public Host pick(long hash, boolean hasHash, int attempt) {
    return hosts[random.nextInt(hosts.length)];
  }
}
