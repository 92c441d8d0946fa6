package dev.inboard.mesh.resilience;

/** A route's priority (Envoy's {@code RoutingPriority}); each has its own circuit breaker thresholds. */
public enum RoutingPriority { DEFAULT, HIGH }
