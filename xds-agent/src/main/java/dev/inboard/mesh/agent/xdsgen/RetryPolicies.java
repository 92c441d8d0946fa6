package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * VirtualService {@code retries} to Envoy's route retry policy, on top of istiod's default policy: two retries on
 * {@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes} (no status codes: istiod no
 * longer retries 503 by default), preferring hosts not tried yet (unless the route hashes consistently), five host
 * selection attempts.
 */
final class RetryPolicies {
  static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
  static final int DEFAULT_NUM_RETRIES = 2;
  static final long HOST_SELECTION_RETRY_MAX_ATTEMPTS = 5;
  static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
  static final String PREVIOUS_PRIORITIES = "envoy.retry_priorities.previous_priorities";

  /** The status codes Go's {@code net/http} names; istiod reads only these as codes in {@code retryOn}. */
  private static final Set<Integer> KNOWN_STATUS_CODES = knownStatusCodes();

  private RetryPolicies() {}

  /** istiod's default outbound policy. */
  static RetryPolicy defaultPolicy(boolean consistentHash) {
    RetryPolicy.Builder out = RetryPolicy.newBuilder()
        .setRetryOn(DEFAULT_RETRY_ON)
        .setNumRetries(UInt32Value.of(DEFAULT_NUM_RETRIES))
        .setHostSelectionRetryMaxAttempts(HOST_SELECTION_RETRY_MAX_ATTEMPTS);
    if (!consistentHash) {
      out.addRetryHostPredicate(previousHosts());
    }
    return out.build();
  }

  /**
   * The policy for a route: the default when {@code retries} is absent, none when it asks for no attempts, else the
   * default with the attempts, {@code retryOn}, per-try timeout, host predicate, locality and back-off overridden.
   */
  static Optional<RetryPolicy> convert(Optional<HTTPRetry> retries, boolean consistentHash) {
    if (retries.isEmpty()) {
      return Optional.of(defaultPolicy(consistentHash));
    }
    HTTPRetry in = retries.get();
    int attempts = in.getAttempts() == null ? 0 : in.getAttempts();
    if (attempts <= 0) {
      return Optional.empty();
    }
    RetryPolicy.Builder out = defaultPolicy(consistentHash).toBuilder().setNumRetries(UInt32Value.of(attempts));
    if (in.getRetryOn() != null && !in.getRetryOn().isEmpty()) {
      List<String> conditions = new ArrayList<>();
      List<Integer> codes = new ArrayList<>();
      for (String part : in.getRetryOn().split(",", -1)) {
        String token = part.trim();
        if (token.isEmpty()) {
          continue;
        }
        OptionalInt code = statusCode(token);
        if (code.isPresent()) {
          codes.add(code.getAsInt());
        } else {
          conditions.add(token);
        }
      }
      String retryOn = String.join(",", conditions);
      if (!codes.isEmpty() && !retryOn.contains("retriable-status-codes")) {
        retryOn += ",retriable-status-codes";
      }
      out.setRetryOn(retryOn).clearRetriableStatusCodes().addAllRetriableStatusCodes(codes);
    }
    if (in.getPerTryTimeout() != null && !in.getPerTryTimeout().isEmpty()) {
      out.setPerTryTimeout(IstioDurations.proto(in.getPerTryTimeout()));
    }
    if (in.getRetryIgnorePreviousHosts() != null) {
      out.clearRetryHostPredicate();
      if (in.getRetryIgnorePreviousHosts()) {
        out.addRetryHostPredicate(previousHosts());
      }
    }
    if (Boolean.TRUE.equals(in.getRetryRemoteLocalities())) {
      out.setRetryPriority(RetryPolicy.RetryPriority.newBuilder()
          .setName(PREVIOUS_PRIORITIES)
          .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder().setUpdateFrequency(2).build())));
    }
    if (in.getBackoff() != null && !in.getBackoff().isEmpty()) {
      out.setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(IstioDurations.proto(in.getBackoff())));
    }
    return Optional.of(out.build());
  }

  private static RetryPolicy.RetryHostPredicate previousHosts() {
    return RetryPolicy.RetryHostPredicate.newBuilder()
        .setName(PREVIOUS_HOSTS)
        .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance()))
        .build();
  }

  private static OptionalInt statusCode(String token) {
    try {
      int code = Integer.parseInt(token);
      return KNOWN_STATUS_CODES.contains(code) ? OptionalInt.of(code) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Set<Integer> knownStatusCodes() {
    List<Integer> codes = new ArrayList<>(List.of(100, 101, 102, 103, 226, 305, 307, 308, 421, 422, 423, 424,
        425, 426, 428, 429, 431, 451, 510, 511));
    for (int c = 200; c <= 208; c++) {
      codes.add(c);
    }
    for (int c = 300; c <= 304; c++) {
      codes.add(c);
    }
    for (int c = 400; c <= 418; c++) {
      codes.add(c);
    }
    for (int c = 500; c <= 508; c++) {
      codes.add(c);
    }
    return Set.copyOf(codes);
  }
}
