package dev.inboard.mesh.routing;

import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.routing.RouteDecision.Abort;
import dev.inboard.mesh.routing.RouteDecision.InjectedFault;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The fault filter's effective policy for one route target, drawn per request as Envoy's fault filter does: the
 * policy's headers must match, the downstream node ({@code x-envoy-downstream-service-node}) and upstream cluster
 * must be the configured ones when set; then the delay and the abort are each drawn independently against their
 * percentage. Header-controlled faults read {@code x-envoy-fault-delay-request} (milliseconds),
 * {@code x-envoy-fault-abort-request} (HTTP status), {@code x-envoy-fault-abort-grpc-request} (gRPC status), and the
 * matching {@code -percentage} headers, read as a percentage and capped by the configured one.
 */
final class FaultPlan {
  static final String DELAY_HEADER = "x-envoy-fault-delay-request";
  static final String DELAY_PERCENTAGE_HEADER = "x-envoy-fault-delay-request-percentage";
  static final String ABORT_HEADER = "x-envoy-fault-abort-request";
  static final String ABORT_GRPC_HEADER = "x-envoy-fault-abort-grpc-request";
  static final String ABORT_PERCENTAGE_HEADER = "x-envoy-fault-abort-request-percentage";
  static final String DOWNSTREAM_NODE_HEADER = "x-envoy-downstream-service-node";

  private final FaultConfig config;
  private final CompiledHeaderMatcher[] headers;
  private final Set<String> downstreamNodes;

  private FaultPlan(FaultConfig config) {
    this.config = config;
    this.headers = config.headers().stream().map(CompiledHeaderMatcher::new).toArray(CompiledHeaderMatcher[]::new);
    this.downstreamNodes = Set.copyOf(new HashSet<>(config.downstreamNodes()));
  }

  /** A plan, or null when the config can never inject anything. */
  static @Nullable FaultPlan of(@Nullable FaultConfig config) {
    if (config == null || (config.delay().isEmpty() && config.abort().isEmpty())) {
      return null;
    }
    return new FaultPlan(config);
  }

  /** The fault for this request, or null when none was drawn. */
  @Nullable InjectedFault draw(RequestInfo request, String cluster, RandomGenerator rng) {
    Headers h = request.headers();
    if (!CompiledHeaderMatcher.allMatch(headers, h)) {
      return null;
    }
    if (!downstreamNodes.isEmpty()) {
      String node = h.first(DOWNSTREAM_NODE_HEADER);
      if (node == null || !downstreamNodes.contains(node)) {
        return null;
      }
    }
    if (config.upstreamCluster().isPresent() && !config.upstreamCluster().get().equals(cluster)) {
      return null;
    }
    Duration delay = config.delay().map(d -> drawDelay(d, h, rng)).orElse(null);
    Abort abort = config.abort().map(a -> drawAbort(a, h, rng)).orElse(null);
    if (delay == null && abort == null) {
      return null;
    }
    return new InjectedFault(Optional.ofNullable(delay), Optional.ofNullable(abort), config.maxActiveFaults());
  }

  private static @Nullable Duration drawDelay(FaultConfig.Delay delay, Headers h, RandomGenerator rng) {
    if (delay instanceof FaultConfig.Delay.Fixed fixed) {
      return hit(fixed.percentage(), rng) ? fixed.delay() : null;
    }
    if (!hit(headerPercentage(h, DELAY_PERCENTAGE_HEADER, delay.percentage()), rng)) {
      return null;
    }
    long millis = parseNonNegative(h.first(DELAY_HEADER));
    return millis > 0 ? Duration.ofMillis(millis) : null;
  }

  private static @Nullable Abort drawAbort(FaultConfig.Abort abort, Headers h, RandomGenerator rng) {
    if (abort instanceof FaultConfig.Abort.HttpStatus http) {
      return hit(http.percentage(), rng) ? new Abort(http.status(), Optional.empty()) : null;
    }
    if (abort instanceof FaultConfig.Abort.GrpcStatus grpc) {
      return hit(grpc.percentage(), rng) ? new Abort(200, Optional.of(grpc.status())) : null;
    }
    if (!hit(headerPercentage(h, ABORT_PERCENTAGE_HEADER, abort.percentage()), rng)) {
      return null;
    }
    long http = parseNonNegative(h.first(ABORT_HEADER));
    if (http >= 200 && http < 600) {
      return new Abort((int) http, Optional.empty());
    }
    long grpc = parseNonNegative(h.first(ABORT_GRPC_HEADER));
    if (grpc >= 0 && grpc <= Integer.MAX_VALUE) {
      return new Abort(200, Optional.of((int) grpc));
    }
    return null;
  }

  private static Fraction headerPercentage(Headers h, String header, Fraction configured) {
    long percent = parseNonNegative(h.first(header));
    if (percent < 0) {
      return configured;
    }
    Fraction fromHeader = Fraction.ofPercent(Math.min(percent, 100));
    return fromHeader.perMillion() < configured.perMillion() ? fromHeader : configured;
  }

  static boolean hit(Fraction fraction, RandomGenerator rng) {
    int perMillion = fraction.perMillion();
    return perMillion >= Fraction.MILLION || (perMillion > 0 && rng.nextInt(Fraction.MILLION) < perMillion);
  }

  /** A non-negative integer, or -1 when absent or not one. */
  private static long parseNonNegative(@Nullable String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long result = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
