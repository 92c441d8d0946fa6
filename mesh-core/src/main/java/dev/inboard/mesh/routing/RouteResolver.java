package dev.inboard.mesh.routing;

import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** Turns a matched route's action into the decision for one request. */
interface RouteResolver {

  /**
   * @param pathEnd where the request path proper ends (its query or fragment start)
   * @param random the request's random value (runtime fractions and weighted clusters share it, as in Envoy)
   * @param rng for independent draws (mirrors, faults)
   */
  RouteDecision resolve(RequestInfo request, CompiledRoute route, int pathEnd, long random, RandomGenerator rng);

  /**
   * The decision when it does not depend on the request (or only on whether it is gRPC, see
   * {@link #staticUnlessGrpc}); null when it does.
   */
  default @Nullable RouteDecision staticDecision() {
    return null;
  }

  /** Whether a gRPC request may get a decision other than {@link #staticDecision}. */
  default boolean staticUnlessGrpc() {
    return false;
  }

  /** A decision that does not depend on the request. */
  static RouteResolver fixed(RouteDecision decision) {
    return new RouteResolver() {
      @Override
      public RouteDecision resolve(
          RequestInfo request, CompiledRoute route, int pathEnd, long random, RandomGenerator rng) {
        return decision;
      }

      @Override
      public RouteDecision staticDecision() {
        return decision;
      }
    };
  }
}
