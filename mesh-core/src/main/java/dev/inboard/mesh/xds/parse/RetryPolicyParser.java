package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code route.v3.RetryPolicy} to {@link RetryPolicy}, with Envoy's defaults. */
final class RetryPolicyParser {
  private static final Duration MIN_INTERVAL = Duration.ofMillis(1);
  private static final int MAX_INTERVAL_FACTOR = 10;

  private RetryPolicyParser() {}

  static RetryPolicy retryPolicy(io.envoyproxy.envoy.config.route.v3.RetryPolicy p) throws XdsValidationException {
    Set<String> retryOn = new LinkedHashSet<>();
    for (String token : p.getRetryOn().split(",")) {
      String trimmed = token.trim();
      if (!trimmed.isEmpty()) {
        retryOn.add(trimmed);
      }
    }
    int numRetries = p.hasNumRetries() ? clampToInt(Integer.toUnsignedLong(p.getNumRetries().getValue()))
        : RetryPolicy.DEFAULT_NUM_RETRIES;

    Duration base = RetryPolicy.DEFAULT_BASE_INTERVAL;
    Duration max = base.multipliedBy(MAX_INTERVAL_FACTOR);
    if (p.hasRetryBackOff()) {
      io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryBackOff backOff = p.getRetryBackOff();
      Validation.check(backOff.hasBaseInterval(), "retry_back_off.base_interval", "must be set");
      Duration configuredBase =
          Validation.at("retry_back_off.base_interval", () -> CommonProtos.duration(backOff.getBaseInterval()));
      Validation.check(!configuredBase.isZero(), "retry_back_off.base_interval", "must be > 0, was 0s");
      // Envoy rounds intervals below one millisecond up to one millisecond.
      base = atLeastOneMilli(configuredBase);
      max = base.multipliedBy(MAX_INTERVAL_FACTOR);
      if (backOff.hasMaxInterval()) {
        Duration configuredMax =
            Validation.at("retry_back_off.max_interval", () -> CommonProtos.duration(backOff.getMaxInterval()));
        Validation.check(!configuredMax.isZero(), "retry_back_off.max_interval", "must be > 0, was 0s");
        Validation.check(configuredMax.compareTo(configuredBase) >= 0, "retry_back_off.max_interval",
            "must be >= base_interval (" + TypedConfigs.text(backOff.getBaseInterval()) + "), was "
                + TypedConfigs.text(backOff.getMaxInterval()));
        max = atLeastOneMilli(configuredMax);
      }
    }

    long hostSelectionAttempts = p.getHostSelectionRetryMaxAttempts();
    Validation.check(hostSelectionAttempts >= 0, "host_selection_retry_max_attempts",
        "must not be negative, was " + hostSelectionAttempts);

    List<String> predicates = new ArrayList<>(p.getRetryHostPredicateCount());
    for (int i = 0; i < p.getRetryHostPredicateCount(); i++) {
      String name = p.getRetryHostPredicate(i).getName();
      Validation.check(!name.isEmpty(), Validation.indexed("retry_host_predicate", i) + ".name", "must not be empty");
      predicates.add(name);
    }
    Optional<String> priority = Optional.empty();
    if (p.hasRetryPriority()) {
      Validation.check(!p.getRetryPriority().getName().isEmpty(), "retry_priority.name", "must not be empty");
      priority = Optional.of(p.getRetryPriority().getName());
    }
    List<Integer> statusCodes = new ArrayList<>(p.getRetriableStatusCodesCount());
    for (int code : p.getRetriableStatusCodesList()) {
      statusCodes.add(code);
    }

    return new RetryPolicy(
        retryOn,
        numRetries,
        nonZero("per_try_timeout", p.hasPerTryTimeout(), p.getPerTryTimeout()),
        nonZero("per_try_idle_timeout", p.hasPerTryIdleTimeout(), p.getPerTryIdleTimeout()),
        base,
        max,
        statusCodes,
        clampToInt(hostSelectionAttempts),
        predicates,
        priority,
        HeaderMatchers.list("retriable_headers", p.getRetriableHeadersList()),
        HeaderMatchers.list("retriable_request_headers", p.getRetriableRequestHeadersList()));
  }

  /** An optional timeout where zero means the same as unset. */
  private static Optional<Duration> nonZero(String field, boolean present, com.google.protobuf.Duration d)
      throws XdsValidationException {
    if (!present) {
      return Optional.empty();
    }
    Duration duration = Validation.at(field, () -> CommonProtos.duration(d));
    return duration.isZero() ? Optional.empty() : Optional.of(duration);
  }

  private static Duration atLeastOneMilli(Duration d) {
    return d.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : d;
  }

  private static int clampToInt(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }
}
