package dev.inboard.mesh.engine;

import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RouteDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a workload would do with one request, decided {@code samples} times: the route matched, the clusters chosen
 * (with counts, so weighted splits show), and everything else the router applies. Behind {@code meshctl route}.
 */
public final class RouteDryRun {
  private RouteDryRun() {}

  /** The outcome; fields are empty where they do not apply. */
  public record Result(
      Optional<String> virtualHost,
      Optional<String> route,
      Map<String, Long> clusters,
      Optional<Long> timeoutMs,
      Optional<Retry> retryPolicy,
      Optional<String> fault,
      List<String> mirrors,
      Optional<String> redirect,
      Optional<String> directResponse,
      Optional<Failure> failure) {}

  /** The retry policy in the terms users read. */
  public record Retry(int numRetries, List<String> retryOn, Optional<Long> perTryTimeoutMs) {}

  public static Result run(TrafficEngine engine, RequestInfo request, int port, int samples) {
    Map<String, Long> clusters = new TreeMap<>();
    RouteDecision first = null;
    for (int i = 0; i < samples; i++) {
      RouteDecision d = engine.route(request, port);
      if (first == null) {
        first = d;
      }
      if (d instanceof RouteDecision.Forward f) {
        clusters.merge(f.cluster(), 1L, Long::sum);
      }
    }
    if (first instanceof RouteDecision.Forward f) {
      Optional<Retry> retry = f.retryPolicy().map(RouteDryRun::retry);
      return new Result(Optional.of(f.virtualHost().name()), Optional.of(f.route().name()), clusters,
          f.timeout().map(Duration::toMillis), retry, f.fault().map(Object::toString),
          f.mirrors().stream().map(m -> m.cluster()).toList(), Optional.empty(), Optional.empty(),
          Optional.empty());
    }
    if (first instanceof RouteDecision.Redirect r) {
      return new Result(Optional.empty(), Optional.empty(), clusters, Optional.empty(), Optional.empty(),
          Optional.empty(), List.of(), Optional.of(r.status() + " " + r.location()), Optional.empty(),
          Optional.empty());
    }
    if (first instanceof RouteDecision.DirectResponse dr) {
      return new Result(Optional.empty(), Optional.empty(), clusters, Optional.empty(), Optional.empty(),
          Optional.empty(), List.of(), Optional.empty(), Optional.of(dr.status() + dr.body().map(b -> " " + b)
          .orElse("")), Optional.empty());
    }
    if (first instanceof RouteDecision.Rejected rejected) {
      return new Result(Optional.empty(), Optional.empty(), clusters, Optional.empty(), Optional.empty(),
          Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.of(rejected.failure()));
    }
    return new Result(Optional.empty(), Optional.empty(), clusters, Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static Retry retry(RetryPolicy p) {
    return new Retry(p.numRetries(), List.copyOf(new java.util.TreeSet<>(p.retryOn())),
        p.perTryTimeout().map(Duration::toMillis));
  }
}
