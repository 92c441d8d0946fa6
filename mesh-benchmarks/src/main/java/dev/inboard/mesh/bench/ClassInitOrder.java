package dev.inboard.mesh.bench;

import dev.inboard.mesh.config.CircuitBreakers;

/**
 * Initialises {@link CircuitBreakers} before its nested {@code Thresholds}. Started the other way round (the first
 * cluster a fresh JVM parses has {@code circuit_breakers}, as every istiod cluster does), the two classes'
 * static initialisers meet in a cycle: {@code Thresholds.DEFAULT} is still null when {@code CircuitBreakers.DEFAULT}
 * is built, and both classes become unusable. Until the config record breaks that cycle, everything that parses
 * clusters in this module calls {@link #ensure()} first.
 */
final class ClassInitOrder {
  private ClassInitOrder() {}

  static void ensure() {
    if (CircuitBreakers.DEFAULT.defaultPriority() == null) {
      throw new IllegalStateException("CircuitBreakers initialised out of order");
    }
  }
}
