package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.Fraction;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds;
import java.util.Optional;

/**
 * {@code circuit_breakers}: the first thresholds given for each routing priority, Envoy's defaults for a priority
 * without any. Paths are relative to the {@code circuit_breakers} field.
 */
final class CircuitBreakersParser {
  private CircuitBreakersParser() {}

  static CircuitBreakers parse(io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers proto)
      throws XdsValidationException {
    CircuitBreakers.Thresholds defaultPriority = null;
    CircuitBreakers.Thresholds highPriority = null;
    for (int i = 0; i < proto.getThresholdsCount(); i++) {
      Thresholds t = proto.getThresholds(i);
      String path = Validation.indexed("thresholds", i);
      CircuitBreakers.Thresholds converted = Validation.at(path, () -> thresholds(t));
      switch (t.getPriority()) {
        case DEFAULT -> defaultPriority = defaultPriority == null ? converted : defaultPriority;
        case HIGH -> highPriority = highPriority == null ? converted : highPriority;
        case UNRECOGNIZED -> throw new XdsValidationException(path + ".priority",
            "must be DEFAULT or HIGH, was " + t.getPriorityValue());
      }
    }
    return new CircuitBreakers(
        defaultPriority == null ? CircuitBreakers.Thresholds.DEFAULT : defaultPriority,
        highPriority == null ? CircuitBreakers.Thresholds.DEFAULT : highPriority);
  }

  private static CircuitBreakers.Thresholds thresholds(Thresholds t) throws XdsValidationException {
    CircuitBreakers.Thresholds d = CircuitBreakers.Thresholds.DEFAULT;
    Optional<CircuitBreakers.RetryBudget> budget = Optional.empty();
    if (t.hasRetryBudget()) {
      Thresholds.RetryBudget b = t.getRetryBudget();
      Fraction percent = b.hasBudgetPercent()
          ? Validation.at("retry_budget.budget_percent", () -> CommonProtos.percent(b.getBudgetPercent()))
          : CircuitBreakers.RetryBudget.DEFAULT_BUDGET;
      budget = Optional.of(new CircuitBreakers.RetryBudget(percent, FieldValues.u32(b.hasMinRetryConcurrency(),
          b.getMinRetryConcurrency(), CircuitBreakers.RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY)));
    }
    return new CircuitBreakers.Thresholds(
        FieldValues.u32(t.hasMaxConnections(), t.getMaxConnections(), d.maxConnections()),
        FieldValues.u32(t.hasMaxPendingRequests(), t.getMaxPendingRequests(), d.maxPendingRequests()),
        FieldValues.u32(t.hasMaxRequests(), t.getMaxRequests(), d.maxRequests()),
        FieldValues.u32(t.hasMaxRetries(), t.getMaxRetries(), d.maxRetries()),
        budget);
  }
}
