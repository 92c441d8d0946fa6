package dev.inboard.mesh.agent.analyze;

import static dev.inboard.mesh.agent.analyze.Findings.has;
import static dev.inboard.mesh.agent.analyze.Findings.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** A route's {@code retries}: attempts, per-try timeout, backoff and the {@code retryOn} conditions Envoy knows. */
final class RetryChecks {
  private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
      "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "retriable-headers",
      "envoy-ratelimited", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
      "resource-exhausted", "unavailable");
  /** Status codes with a standard reason phrase (RFC 9110 and friends), the ones {@code retryOn} accepts. */
  private static final Set<Integer> STATUS_CODES = Set.of(100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206,
      207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410,
      411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503,
      504, 505, 506, 507, 508, 510, 511);

  private RetryChecks() {}

  static void retries(JsonNode retries, String path, Findings out) {
    if (!retries.isObject()) {
      return;
    }
    JsonNode attempts = retries.path("attempts");
    long count = attempts.isNumber() ? attempts.asLong() : 0;
    if (count < 0) {
      out.add(path + ".attempts", attempts, "attempts cannot be negative");
    }
    if (count == 0 && (has(retries, "perTryTimeout") || !text(retries, "retryOn").isEmpty()
        || has(retries, "retryRemoteLocalities"))) {
      out.add(path + ".attempts", attempts.isMissingNode() ? "" : attempts.asText(),
          "retries are configured but attempts is 0 (retries disabled); set attempts");
    }
    HttpRouteChecks.duration(retries, "perTryTimeout", path, out);
    HttpRouteChecks.duration(retries, "backoff", path, out);
    String retryOn = text(retries, "retryOn");
    if (!retryOn.isEmpty()) {
      for (String policy : retryOn.split(",", -1)) {
        if (!RETRY_ON.contains(policy) && !isStatusCode(policy)) {
          out.add(path + ".retryOn", retryOn, "\"" + policy + "\" is not a valid retryOn policy");
        }
      }
    }
  }

  private static boolean isStatusCode(String policy) {
    if (policy.isEmpty() || policy.length() > 3 || !policy.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return STATUS_CODES.contains(Integer.parseInt(policy));
  }
}
