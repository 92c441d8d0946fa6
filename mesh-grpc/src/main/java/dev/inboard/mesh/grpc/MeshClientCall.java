package dev.inboard.mesh.grpc;

import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.TrafficEngine.Decision;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RetryBackoff;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RetryConditions;
import dev.inboard.mesh.routing.RouteDecision;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One RPC on a {@link MeshChannel}. At {@code start} the engine decides its route and host from the method and the
 * metadata; the call then runs as Envoy's router would run the request: fault (delay, abort), a circuit breaker
 * {@code max_requests} permit per attempt, a deadline (the earliest of the caller's, the route's timeout counted
 * from after a fault delay, and the route's max stream duration), per-try timeouts, route header mutations, and for
 * unary calls retries on the route's retriable outcomes with back-off, the {@code max_retries} breaker and, when the
 * route has the {@code previous_hosts} predicate, a new host per retry. What the application does before an attempt
 * exists (request, send, half-close) is recorded and replayed on the attempt; unary calls keep the record (one
 * message) so that a retry can replay it, and their response is held until the attempt is final. Streaming calls are
 * sent once, without retries. Unary calls also send the route's mirrors their fire-and-forget shadow copies.
 */
final class MeshClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";

  private final MeshChannel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final Executor executor;
  private final boolean replayable;

  // Guarded by this.
  private @Nullable Listener<RespT> listener;
  private @Nullable Metadata headers;
  private final List<Consumer<ClientCall<ReqT, RespT>>> ops = new ArrayList<>();
  private @Nullable ClientCall<ReqT, RespT> active;
  private @Nullable MirrorCalls<ReqT, RespT> mirrors;
  private Decision.@Nullable Send send;
  private @Nullable Deadline streamDeadline;
  private @Nullable Deadline deadline;
  private @Nullable RetryBackoff backoff;
  private final Set<SocketAddress> tried = new HashSet<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>(2);
  private int retries;
  private boolean cancelled;
  private boolean closed;

  MeshClientCall(MeshChannel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    this.channel = channel;
    this.method = method;
    Executor given = callOptions.getExecutor();
    this.executor = given != null ? given : channel.callbackExecutor();
    this.callOptions = given != null ? callOptions : callOptions.withExecutor(executor);
    this.replayable = method.getType() == MethodDescriptor.MethodType.UNARY;
  }

  @Override
  public void start(Listener<RespT> responseListener, Metadata metadata) {
    Decision decision;
    synchronized (this) {
      if (listener != null) {
        throw new IllegalStateException("call already started");
      }
      listener = responseListener;
      headers = metadata;
      if (channel.isShutdownRequested()) {
        closeLocally(Status.UNAVAILABLE.withDescription("mesh channel is shut down"));
        return;
      }
      String authority = callOptions.getAuthority() != null ? callOptions.getAuthority() : channel.authority();
      RequestInfo request = RequestInfo.of("POST", "http", authority, MetadataHeaders.path(method),
          MetadataHeaders.of(metadata, callOptions.getDeadline()));
      decision = channel.engine().decide(request, channel.target().port());
      if (decision instanceof Decision.Fail fail) {
        closeLocally(GrpcStatuses.of(fail.failure()));
        return;
      }
      if (decision instanceof Decision.Respond respond) {
        closeLocally(localAnswer(respond.route()));
        return;
      }
      send = (Decision.Send) decision;
      // The caller's deadline, and the stream's maximum duration, which runs from the stream's start.
      streamDeadline = earliest(callOptions.getDeadline(),
          send.route().maxStreamDuration().map(MeshClientCall::after).orElse(null));
    }
    Optional<RouteDecision.InjectedFault> fault = send.route().fault();
    Optional<Duration> delay = fault.flatMap(RouteDecision.InjectedFault::delay);
    if (delay.isPresent()) {
      synchronized (this) {
        armDeadline(streamDeadline);
        timers.add(channel.scheduler().schedule(this::afterDelay, delay.get().toNanos(), TimeUnit.NANOSECONDS));
      }
    } else {
      afterDelay();
    }
  }

  private void afterDelay() {
    synchronized (this) {
      if (closed) {
        return;
      }
      // The router's timeout starts once the fault filter lets the request through.
      Deadline routeTimeout = send.route().timeout().map(MeshClientCall::after).orElse(null);
      deadline = earliest(streamDeadline, routeTimeout);
      armDeadline(deadline);
      Optional<RouteDecision.Abort> abort = send.route().fault().flatMap(RouteDecision.InjectedFault::abort);
      if (abort.isPresent()) {
        RouteDecision.Abort a = abort.get();
        Status.Code code = a.grpcStatus().map(c -> Status.fromCodeValue(c).getCode())
            .orElseGet(() -> GrpcStatuses.fromHttp(a.httpStatus()));
        closeLocally(Status.fromCode(code).withDescription(GrpcStatuses.describe(ResponseFlag.FI,
            "fault filter abort")));
        return;
      }
      startAttempt(send.host(), null);
    }
  }

  /**
   * Ends the call at {@code d} when no attempt is in flight then (during a fault delay or a retry back-off); an
   * attempt in flight carries the deadline itself.
   */
  private void armDeadline(@Nullable Deadline d) {
    assert Thread.holdsLock(this);
    if (d == null) {
      return;
    }
    timers.add(channel.scheduler().schedule(() -> {
      synchronized (this) {
        if (!closed && active == null) {
          closeLocally(Status.DEADLINE_EXCEEDED.withDescription(
              GrpcStatuses.describe(ResponseFlag.UT, "deadline exceeded before the request was sent")));
        }
      }
    }, Math.max(0, d.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS));
  }

  /** Starts an attempt on {@code host}; {@code retryPermit} is the retry's circuit breaker unit, if a retry. */
  private void startAttempt(Host host, @Nullable Permit retryPermit) {
    assert Thread.holdsLock(this);
    Decision.Send s = send;
    Admission admission = s.cluster().circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    if (admission instanceof Admission.Rejected rejected) {
      release(retryPermit);
      closeLocally(GrpcStatuses.of(rejected.failure()));
      return;
    }
    Permit permit = (Permit) admission;
    tried.add(host.address());
    host.requestStarted();
    Deadline attemptDeadline = deadline;
    boolean perTryLimited = false;
    if (s.route().perTryTimeout().isPresent()) {
      Deadline perTry = after(s.route().perTryTimeout().get());
      perTryLimited = attemptDeadline == null || perTry.isBefore(attemptDeadline);
      attemptDeadline = earliest(attemptDeadline, perTry);
    }
    String authority = s.route().authority().orElse(channel.authority());
    CallOptions options = callOptions;
    if (attemptDeadline != options.getDeadline()) {
      options = options.withDeadline(attemptDeadline);
    }
    if (!authority.equals(options.getAuthority())) {
      options = options.withAuthority(authority);
    }
    Metadata outbound = new Metadata();
    outbound.merge(headers);
    HeaderMutations.removeRouterHeaders(outbound);
    HeaderMutations.apply(s.route().requestHeaderMutations(), outbound);
    if (replayable && mirrors == null) {
      // Shadows go once per request, beside the first attempt, and never take part in its outcome.
      mirrors = MirrorCalls.start(channel, method, callOptions.withDeadline(deadline), s.route(),
          authority, outbound);
      ops.forEach(mirrors::apply);
    }
    ClientCall<ReqT, RespT> call = channel.endpoints().get(host.address()).newCall(method, options);
    active = call;
    call.start(new AttemptListener<>(listener, !replayable, this::attemptClosed, host, permit, retryPermit,
        attemptDeadline, perTryLimited, s.route().responseHeaderMutations()), outbound);
    for (Consumer<ClientCall<ReqT, RespT>> op : ops) {
      op.accept(call);
    }
    if (!replayable) {
      ops.clear();
    }
  }

  /** An attempt ended: retry it, or deliver its result. Runs on the call's executor. */
  private void attemptClosed(AttemptListener<RespT> attempt, Status status, Metadata trailers) {
    Host host = attempt.host();
    host.requestFinished();
    attempt.permit().release();
    release(attempt.retryPermit());
    Decision.Send s = send;
    AttemptOutcome outcome = AttemptOutcome.of(status, attempt.deadline() != null && attempt.deadline().isExpired(),
        attempt.perTryLimited());
    outcome.report(s.cluster(), host);
    synchronized (this) {
      active = null;
      if (replayable && !cancelled && outcome.outcome() != null && retry(outcome.outcome())) {
        return;
      }
      closed = true;
      cancelTimers();
    }
    attempt.deliver(status, trailers);
    channel.engine().finished(s);
  }

  /** Schedules a retry when the route allows one for this outcome; false when the attempt is final. */
  private boolean retry(RetryConditions.Outcome outcome) {
    Decision.Send s = send;
    Optional<RetryPolicy> policy = s.route().retryPolicy();
    if (policy.isEmpty() || retries >= policy.get().numRetries()
        || !RetryConditions.retriable(policy.get(), outcome) || (deadline != null && deadline.isExpired())) {
      return false;
    }
    Admission admission = s.cluster().circuitBreaker().tryAcquire(Resource.RETRIES, RoutingPriority.DEFAULT);
    if (!(admission instanceof Permit retryPermit)) {
      return false; // the retry circuit breaker is full: the last attempt's result stands
    }
    retries++;
    if (backoff == null) {
      backoff = RetryBackoff.of(policy.get(), channel.random()); // made at the first retry: most calls have none
    }
    Duration wait = backoff.next();
    timers.add(channel.scheduler().schedule(() -> retryNow(policy.get(), retryPermit), wait.toNanos(),
        TimeUnit.NANOSECONDS));
    return true;
  }

  private void retryNow(RetryPolicy policy, Permit retryPermit) {
    synchronized (this) {
      if (closed) {
        retryPermit.release();
        return;
      }
      Decision.Send s = send;
      boolean avoid = policy.retryHostPredicates().contains(PREVIOUS_HOSTS);
      PickRequest pick = avoid
          ? s.route().pickRequest().avoiding(tried, policy.hostSelectionRetryMaxAttempts())
          : s.route().pickRequest();
      PickResult result = s.cluster().pick(pick);
      if (result instanceof PickResult.NoHost none) {
        retryPermit.release();
        closeLocally(GrpcStatuses.of(none.failure()));
        return;
      }
      startAttempt((Host) result, retryPermit);
    }
  }

  private static void release(@Nullable Permit permit) {
    if (permit != null) {
      permit.release();
    }
  }

  /** Ends the call without (another) upstream attempt; the listener hears of it on the call's executor. */
  private void closeLocally(Status status) {
    assert Thread.holdsLock(this);
    if (closed) {
      return;
    }
    closed = true;
    cancelTimers();
    Listener<RespT> l = listener;
    Decision.Send s = send;
    executor.execute(() -> {
      l.onClose(status, new Metadata());
      if (s != null) {
        channel.engine().finished(s);
      }
    });
  }

  private void cancelTimers() {
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  private static Status localAnswer(RouteDecision route) {
    if (route instanceof RouteDecision.DirectResponse direct) {
      return Status.fromCode(GrpcStatuses.fromHttp(direct.status()))
          .withDescription("direct response " + direct.status() + direct.body().map(b -> ": " + b).orElse(""));
    }
    if (route instanceof RouteDecision.Redirect redirect) {
      return Status.fromCode(GrpcStatuses.fromHttp(redirect.status()))
          .withDescription("redirect " + redirect.status() + " to " + redirect.location());
    }
    return Status.UNAVAILABLE.withDescription("the route does not forward (a server-side route)");
  }

  private static Deadline after(Duration d) {
    return Deadline.after(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static @Nullable Deadline earliest(@Nullable Deadline a, @Nullable Deadline b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.minimum(b);
  }

  private void op(Consumer<ClientCall<ReqT, RespT>> op) {
    ClientCall<ReqT, RespT> call;
    synchronized (this) {
      if (closed && active == null) {
        return;
      }
      if (replayable || active == null) {
        ops.add(op);
      }
      if (mirrors != null) {
        mirrors.apply(op);
      }
      call = active;
      if (call != null) {
        op.accept(call);
      }
    }
  }

  @Override
  public void request(int numMessages) {
    op(c -> c.request(numMessages));
  }

  @Override
  public void sendMessage(ReqT message) {
    op(c -> c.sendMessage(message));
  }

  @Override
  public void halfClose() {
    op(ClientCall::halfClose);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    op(c -> c.setMessageCompression(enabled));
  }

  @Override
  public void cancel(@Nullable String message, @Nullable Throwable cause) {
    ClientCall<ReqT, RespT> call;
    synchronized (this) {
      cancelled = true;
      call = active;
      if (call == null) {
        if (listener != null) {
          closeLocally(Status.CANCELLED.withDescription(message).withCause(cause));
        }
        return;
      }
    }
    call.cancel(message, cause);
  }

  @Override
  public synchronized boolean isReady() {
    return active != null && active.isReady();
  }
}
