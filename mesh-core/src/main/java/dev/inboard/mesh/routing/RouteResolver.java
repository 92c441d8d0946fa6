package dev.inboard.mesh.routing;

import java.util.random.RandomGenerator;

/** Turns a matched route's action into the decision for one request. */
interface RouteResolver {

  /**
   * @param pathEnd where the request path proper ends (its query or fragment start)
   * @param random the request's random value (runtime fractions and weighted clusters share it, as in Envoy)
   * @param rng for independent draws (mirrors, faults)
   */
  RouteDecision resolve(RequestInfo request, CompiledRoute route, int pathEnd, long random, RandomGenerator rng);

  /** A decision that does not depend on the request. */
  static RouteResolver fixed(RouteDecision decision) {
    return (request, route, pathEnd, random, rng) -> decision;
  }
}
