package dev.inboard.mesh.engine;

import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RetryBackoff;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.routing.RetryConditions;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import dev.inboard.mesh.routing.RouteDecision;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The attempts of one request the engine decided to {@link TrafficEngine.Decision.Send send}, as Envoy's router
 * plans them, for any transport: the route timeout as a deadline over every attempt and back-off, each attempt's
 * time budget (the smaller of the per-try timeout and what is left of that deadline), and after each attempt whether
 * to retry it (the route's {@code retry_on}, the retries left, a replayable request, the cluster's
 * {@code max_retries} circuit breaker) and after which back-off, and once that is over on which host (avoiding the
 * hosts tried so far under the {@code previous_hosts} predicate). The adapter does the I/O: it runs each attempt
 * within {@link #budget()}, tells {@link #next} how it ended, follows the answer (for a retry: waits the back-off,
 * then asks {@link #retryHost()}), and {@link #close}s the plan when the request ends.
 *
 * <p>Start it once the fault filter has let the request through: the route timeout starts then, as the router's timer
 * starts after the fault filter. A retry holds one {@code max_retries} unit from the decision to retry until its
 * attempt has ended ({@link #next} or {@link #close} gives it back). Not thread-safe: one request, its calls
 * serialized by the adapter.
 */
public final class AttemptPlan implements AutoCloseable {
  /** Envoy's retry host predicate that makes a retry avoid the hosts already tried. */
  public static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";
  /** The header carrying the attempt's number, upstream and (when asked) downstream. */
  public static final String ATTEMPT_COUNT_HEADER = "x-envoy-attempt-count";
  private static final String[] SMALL_NUMBERS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

  private final TrafficEngine.Decision.Send send;
  private final RouteDecision.Forward route;
  private final @Nullable RetryPolicy policy;
  private final LongSupplier nanoTime;
  private final RandomGenerator random;
  /** When the request's time is up, in {@link #nanoTime} units; absent without a route timeout or outer limit. */
  private final OptionalLong deadline;
  private final boolean routeTimeoutBinding;
  private Host host;
  private int attempt = 1;
  private @Nullable RetryBackoff backoff; // made at the first retry: most requests never need one
  private @Nullable Set<SocketAddress> tried; // gathered once a retry is considered
  private @Nullable Permit retryPermit;
  private boolean retryDue;

  private AttemptPlan(TrafficEngine.Decision.Send send, LongSupplier nanoTime, RandomGenerator random,
      OptionalLong notAfter) {
    this.send = Objects.requireNonNull(send, "send");
    this.route = send.route();
    this.policy = route.retryPolicy().orElse(null);
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.random = Objects.requireNonNull(random, "random");
    this.host = send.host();
    long now = nanoTime.getAsLong();
    OptionalLong routeDeadline = route.timeout().isPresent()
        ? OptionalLong.of(now + saturated(route.timeout().get())) : OptionalLong.empty();
    if (notAfter.isPresent() && (routeDeadline.isEmpty() || notAfter.getAsLong() - routeDeadline.getAsLong() < 0)) {
      this.deadline = notAfter;
      this.routeTimeoutBinding = false;
    } else {
      this.deadline = routeDeadline;
      this.routeTimeoutBinding = routeDeadline.isPresent();
    }
  }

  /**
   * The plan of {@code send}, its route timeout starting now.
   *
   * @param nanoTime monotonic nanoseconds ({@code System::nanoTime} in production)
   * @param random the source of the back-off's jitter
   */
  public static AttemptPlan start(TrafficEngine.Decision.Send send, LongSupplier nanoTime, RandomGenerator random) {
    return new AttemptPlan(send, nanoTime, random, OptionalLong.empty());
  }

  /**
   * The plan of {@code send}, its deadline the earlier of the route timeout starting now and {@code notAfter} (a
   * limit from outside the route, such as the caller's own deadline, in {@code nanoTime} units).
   */
  public static AttemptPlan start(TrafficEngine.Decision.Send send, LongSupplier nanoTime, RandomGenerator random,
      long notAfter) {
    return new AttemptPlan(send, nanoTime, random, OptionalLong.of(notAfter));
  }

  /** The host of the current attempt: the engine's pick for the first, {@link #retryHost()}'s for a retry. */
  public Host host() {
    return host;
  }

  /** The current attempt's number, from 1. */
  public int attempt() {
    return attempt;
  }

  /**
   * The value of {@link #ATTEMPT_COUNT_HEADER} for the current attempt's upstream request: its number, when the
   * virtual host sets {@code include_request_attempt_count} (istiod sets it on every virtual host); else null.
   */
  public @Nullable String upstreamAttemptCount() {
    return route.virtualHost().includeRequestAttemptCount() ? number(attempt) : null;
  }

  /**
   * The value of {@link #ATTEMPT_COUNT_HEADER} for the response: how many attempts were made, when the virtual host
   * sets {@code include_attempt_count_in_response}; else null.
   */
  public @Nullable String downstreamAttemptCount() {
    return route.virtualHost().includeAttemptCountInResponse() ? number(attempt) : null;
  }

  private static String number(int n) {
    return n < SMALL_NUMBERS.length ? SMALL_NUMBERS[n] : Integer.toString(n);
  }

  /** Whether the current attempt is a retry: a final failure then says the retries are exhausted (URX). */
  public boolean retried() {
    return attempt > 1;
  }

  /** When the request's time is up, in {@code nanoTime} units; empty when nothing limits it. */
  public OptionalLong deadline() {
    return deadline;
  }

  /** Whether the request's deadline has passed. */
  public boolean expired() {
    return deadline.isPresent() && nanoTime.getAsLong() - deadline.getAsLong() >= 0;
  }

  /** The time the current attempt may take, or {@link Budget.Expired} when the request's deadline has passed. */
  public Budget budget() {
    OptionalLong perTry = route.perTryTimeout().isPresent()
        ? OptionalLong.of(saturated(route.perTryTimeout().get())) : OptionalLong.empty();
    if (deadline.isEmpty()) {
      return perTry.isPresent() ? new Budget.Limited(perTry.getAsLong(), true) : new Budget.Unlimited();
    }
    long remaining = deadline.getAsLong() - nanoTime.getAsLong();
    if (remaining <= 0) {
      return new Budget.Expired(timeout());
    }
    if (perTry.isPresent() && perTry.getAsLong() < remaining) {
      return new Budget.Limited(perTry.getAsLong(), true);
    }
    return new Budget.Limited(remaining, false);
  }

  /**
   * What follows the current attempt, which ended with {@code outcome}. An attempt that ran out of time (a
   * {@link Outcome.PerTryTimeout}) once the request's deadline has passed is the request's timeout
   * ({@link Next.TimedOut}); see {@link #afterTimeout} for other outcomes ended by a timer.
   *
   * @param replayable whether the request can be sent again (its body is not one-shot, or it is a unary call)
   */
  public Next next(Outcome outcome, boolean replayable) {
    return decide(outcome, outcome instanceof Outcome.PerTryTimeout, replayable);
  }

  /**
   * As {@link #next}, for an attempt a timer of its budget ended (a connect timeout reported as
   * {@link Outcome.ConnectFailure}, say): once the request's deadline has passed it is the request's timeout.
   */
  public Next afterTimeout(Outcome outcome, boolean replayable) {
    return decide(outcome, true, replayable);
  }

  private Next decide(Outcome outcome, boolean timedOut, boolean replayable) {
    Objects.requireNonNull(outcome, "outcome");
    if (retryDue) {
      throw new IllegalStateException("a retry is due: ask retryHost() once its back-off is over");
    }
    releaseRetryPermit(); // the attempt it was held for has ended
    if (timedOut && expired()) {
      return new Next.TimedOut(timeout());
    }
    RetryPolicy p = policy;
    if (p == null || attempt > p.numRetries() || !replayable || !RetryConditions.retriable(p, outcome) || expired()) {
      return new Next.Finish();
    }
    Admission admission = send.cluster().circuitBreaker().tryAcquire(Resource.RETRIES, RoutingPriority.DEFAULT);
    if (!(admission instanceof Permit permit)) {
      return new Next.Finish(); // the retry circuit breaker is full: this attempt's result stands
    }
    if (tried == null) {
      tried = new HashSet<>();
    }
    tried.add(host.address());
    retryPermit = permit;
    retryDue = true;
    if (backoff == null) {
      backoff = RetryBackoff.of(p, random);
    }
    return new Next.Retry(backoff.next().toNanos());
  }

  /**
   * The retry's host, picked once its back-off is over (as Envoy's router picks when the retry starts): it becomes
   * {@link #host()} for the next attempt. Under the {@code previous_hosts} predicate the pick avoids the hosts tried
   * so far (re-picking up to {@code host_selection_retry_max_attempts} times). {@link PickResult.NoHost}: no host
   * is left to retry on, and the request fails with its failure (UH); the retry's circuit breaker unit is given back.
   *
   * @throws IllegalStateException when {@link #next} did not answer {@link Next.Retry}
   */
  public PickResult retryHost() {
    RetryPolicy p = policy;
    if (!retryDue || p == null) {
      throw new IllegalStateException("no retry is due: retryHost() follows a Next.Retry");
    }
    retryDue = false;
    PickRequest pick = route.pickRequest();
    if (p.retryHostPredicates().contains(PREVIOUS_HOSTS)) {
      pick = pick.avoiding(Objects.requireNonNull(tried, "tried"), p.hostSelectionRetryMaxAttempts());
    }
    PickResult result = send.cluster().pick(pick);
    if (result instanceof Host next) {
      host = next;
      attempt++;
    } else {
      releaseRetryPermit();
    }
    return result;
  }

  /** The request's timeout: UT, 504. */
  public Failure timeout() {
    String reason = routeTimeoutBinding || route.timeout().isEmpty()
        ? "upstream request timeout: route to " + route.cluster() + " allows "
            + route.timeout().map(Duration::toString).orElse("no limit")
        : "upstream request timeout: the request's deadline passed before the route's timeout ("
            + route.timeout().get() + ") to " + route.cluster();
    return new Failure(ResponseFlag.UT, 504, reason);
  }

  /** Ends the plan, giving back a retry's circuit breaker unit if one is held. Idempotent. */
  @Override
  public void close() {
    releaseRetryPermit();
  }

  private void releaseRetryPermit() {
    Permit held = retryPermit;
    if (held != null) {
      retryPermit = null;
      held.release();
    }
  }

  private static long saturated(Duration d) {
    return Math.min(Long.MAX_VALUE / 4, Math.max(0, d.toNanos()));
  }

  /** The time one attempt may take. */
  public sealed interface Budget {
    /** Nothing limits the attempt. */
    record Unlimited() implements Budget {}

    /**
     * The attempt may take {@code nanos}; {@code perTry}: the limit is the per-try timeout (a retriable
     * {@link Outcome.PerTryTimeout} when it expires), not what is left of the request's deadline.
     */
    record Limited(long nanos, boolean perTry) implements Budget {}

    /** The request's deadline has passed: it fails with {@code failure} (UT) without another attempt. */
    record Expired(Failure failure) implements Budget {}
  }

  /** What follows an attempt. */
  public sealed interface Next {
    /** The attempt is the request's last: its result (response or failure) is the request's. */
    record Finish() implements Next {}

    /** Discard the attempt's result, wait {@code backoffNanos}, then try again on {@link #retryHost()}. */
    record Retry(long backoffNanos) implements Next {}

    /** The request's deadline has passed: it fails with {@code failure} (UT). */
    record TimedOut(Failure failure) implements Next {}
  }
}
