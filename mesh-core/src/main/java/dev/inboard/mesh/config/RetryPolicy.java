package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Envoy's {@code route.v3.RetryPolicy} with its defaults applied: one retry, back-off from 25 ms up to ten times the
 * base interval. {@code retryOn} holds the {@code retry_on} tokens as given (Istio sends
 * {@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes}); tokens the runtime does not
 * know are ignored there, as Envoy does.
 *
 * @param perTryTimeout absent when not set or zero: the route timeout bounds every attempt
 * @param perTryIdleTimeout absent when not set or zero: no per-attempt idle timeout
 * @param hostSelectionRetryMaxAttempts how many times host selection is re-attempted when a retry host predicate
 *     rejects the chosen host; 0 when unset
 * @param retryHostPredicates extension names, e.g. {@code envoy.retry_host_predicates.previous_hosts}
 * @param retryPriority extension name of the retry priority, e.g. {@code envoy.retry_priorities.previous_priorities}
 * @param retriableHeaders response headers that make a response retriable ({@code retriable-headers})
 * @param retriableRequestHeaders request headers that must match for any retry to happen
 */
public record RetryPolicy(
    Set<String> retryOn,
    int numRetries,
    Optional<Duration> perTryTimeout,
    Optional<Duration> perTryIdleTimeout,
    Duration baseInterval,
    Duration maxInterval,
    List<Integer> retriableStatusCodes,
    int hostSelectionRetryMaxAttempts,
    List<String> retryHostPredicates,
    Optional<String> retryPriority,
    List<HeaderMatcher> retriableHeaders,
    List<HeaderMatcher> retriableRequestHeaders) {

  public static final int DEFAULT_NUM_RETRIES = 1;
  public static final Duration DEFAULT_BASE_INTERVAL = Duration.ofMillis(25);

  public RetryPolicy {
    retryOn = Set.copyOf(retryOn);
    Objects.requireNonNull(perTryTimeout, "perTryTimeout");
    Objects.requireNonNull(perTryIdleTimeout, "perTryIdleTimeout");
    Objects.requireNonNull(baseInterval, "baseInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(retryPriority, "retryPriority");
    retriableStatusCodes = List.copyOf(retriableStatusCodes);
    retryHostPredicates = List.copyOf(retryHostPredicates);
    retriableHeaders = List.copyOf(retriableHeaders);
    retriableRequestHeaders = List.copyOf(retriableRequestHeaders);
    if (numRetries < 0) {
      throw new IllegalArgumentException("numRetries must not be negative, was " + numRetries);
    }
    if (hostSelectionRetryMaxAttempts < 0) {
      throw new IllegalArgumentException(
          "hostSelectionRetryMaxAttempts must not be negative, was " + hostSelectionRetryMaxAttempts);
    }
    if (baseInterval.isNegative() || baseInterval.isZero()) {
      throw new IllegalArgumentException("baseInterval must be > 0, was " + baseInterval);
    }
    if (maxInterval.compareTo(baseInterval) < 0) {
      throw new IllegalArgumentException(
          "maxInterval must be >= baseInterval " + baseInterval + ", was " + maxInterval);
    }
  }
}
