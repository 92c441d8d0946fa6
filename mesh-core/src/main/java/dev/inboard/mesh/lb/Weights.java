package dev.inboard.mesh.lb;

final class Weights {
  private Weights() {}

  static boolean allEqual(Host[] hosts) {
    for (Host h : hosts) {
      if (h.weight() != hosts[0].weight()) {
        return false;
      }
    }
    return true;
  }

  static long sum(Host[] hosts) {
    long sum = 0;
    for (Host h : hosts) {
      sum += h.weight();
    }
    return sum;
  }
}
