package dev.inboard.mesh.grpc;

import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.AttemptPlan;
import dev.inboard.mesh.engine.TrafficEngine.Decision;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.routing.RouteDecision;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One RPC on a {@link MeshChannel}. At {@code start} the engine decides its route and host from the method and the
 * metadata; the call then runs as Envoy's router would run the request: fault (delay, abort), a circuit breaker
 * {@code max_requests} permit per attempt, route header mutations, and the attempts of an {@link AttemptPlan}: a
 * deadline (the earliest of the caller's, the route's max stream duration, and the route's timeout counted from after
 * a fault delay), per-try timeouts as each attempt's gRPC deadline, and for unary calls the retries the plan asks for,
 * each after its back-off on this call's scheduler. What the application does before an attempt exists (request,
 * send, half-close) is recorded and replayed on the attempt; unary calls keep the record (one message) so that a retry
 * can replay it, and their response is held until the attempt is final. Streaming calls are sent once, without
 * retries. Unary calls also send the route's mirrors their fire-and-forget shadow copies.
 */
final class MeshClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private static final Metadata.Key<String> ATTEMPT_COUNT =
      Metadata.Key.of(AttemptPlan.ATTEMPT_COUNT_HEADER, Metadata.ASCII_STRING_MARSHALLER);

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
  /** The attempts' plan, made once the fault filter lets the request through. */
  private @Nullable AttemptPlan plan;
  /** The plan's deadline as gRPC's, for the mirrors and the wait between attempts. */
  private @Nullable Deadline deadline;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>(2);
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
      long now = System.nanoTime();
      AttemptPlan p = streamDeadline == null ? AttemptPlan.start(send, System::nanoTime, channel.random())
          : AttemptPlan.start(send, System::nanoTime, channel.random(),
              now + streamDeadline.timeRemaining(TimeUnit.NANOSECONDS));
      plan = p;
      OptionalLong end = p.deadline();
      deadline = end.isEmpty() ? null
          : earliest(streamDeadline, Deadline.after(end.getAsLong() - now, TimeUnit.NANOSECONDS));
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
      startAttempt();
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
          closeBeforeSend();
        }
      }
    }, Math.max(0, d.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS));
  }

  private void closeBeforeSend() {
    closeLocally(Status.DEADLINE_EXCEEDED.withDescription(
        GrpcStatuses.describe(ResponseFlag.UT, "deadline exceeded before the request was sent")));
  }

  /** Starts the plan's current attempt on its host, with its budget as the attempt's deadline. */
  private void startAttempt() {
    assert Thread.holdsLock(this);
    Decision.Send s = send;
    AttemptPlan p = plan;
    AttemptPlan.Budget budget = p.budget();
    if (budget instanceof AttemptPlan.Budget.Expired) {
      closeBeforeSend();
      return;
    }
    Admission admission = s.cluster().circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    if (admission instanceof Admission.Rejected rejected) {
      closeLocally(GrpcStatuses.of(rejected.failure()));
      return;
    }
    Permit permit = (Permit) admission;
    Host host = p.host();
    host.requestStarted();
    Deadline attemptDeadline = deadline;
    boolean perTryLimited = false;
    if (budget instanceof AttemptPlan.Budget.Limited limited && limited.perTry()) {
      attemptDeadline = Deadline.after(limited.nanos(), TimeUnit.NANOSECONDS);
      perTryLimited = true;
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
    String attemptCount = p.upstreamAttemptCount();
    if (attemptCount != null) {
      outbound.removeAll(ATTEMPT_COUNT);
      outbound.put(ATTEMPT_COUNT, attemptCount);
    }
    if (replayable && mirrors == null) {
      // Shadows go once per request, beside the first attempt, and never take part in its outcome.
      mirrors = MirrorCalls.start(channel, method, callOptions.withDeadline(deadline), s.route(),
          authority, outbound);
      ops.forEach(mirrors::apply);
    }
    ClientCall<ReqT, RespT> call = channel.endpoints().get(host.address()).newCall(method, options);
    active = call;
    call.start(new AttemptListener<>(listener, !replayable, this::attemptClosed, host, permit, attemptDeadline,
        perTryLimited, s.route().responseHeaderMutations()), outbound);
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
    Decision.Send s = send;
    AttemptOutcome outcome = AttemptOutcome.of(status, attempt.deadline() != null && attempt.deadline().isExpired(),
        attempt.perTryLimited());
    outcome.report(s.cluster(), host);
    synchronized (this) {
      active = null;
      AttemptPlan p = plan;
      // An attempt the caller canceled is abandoned; the request's own deadline (no outcome) is final. A final
      // attempt's status, a timeout included (DEADLINE_EXCEEDED), goes downstream as it is.
      if (!cancelled && outcome.outcome() != null
          && p.next(outcome.outcome(), replayable) instanceof AttemptPlan.Next.Retry retry) {
        timers.add(channel.scheduler().schedule(this::retryNow, retry.backoffNanos(), TimeUnit.NANOSECONDS));
        return;
      }
      p.close();
      closed = true;
      cancelTimers();
    }
    attempt.deliver(status, trailers);
    channel.engine().finished(s);
  }

  /** The back-off is over: the retry starts on the plan's retry host, unless the call ended meanwhile. */
  private void retryNow() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (plan.retryHost() instanceof PickResult.NoHost none) {
        closeLocally(GrpcStatuses.of(none.failure()));
        return;
      }
      startAttempt();
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
    if (plan != null) {
      plan.close();
    }
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
