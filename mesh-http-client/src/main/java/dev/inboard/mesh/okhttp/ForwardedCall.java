package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.AttemptPlan;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.resilience.UpstreamFailure;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import dev.inboard.mesh.routing.RouteDecision;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One request the engine decided to send: the fault, the cluster's request permit, the attempts, the mirrors, and the
 * response's header mutations. The attempts follow an {@link AttemptPlan} (deadline, per-try budget, retries, retry
 * hosts, back-off); this class runs them on OkHttp and waits out the back-offs. Not thread-safe: it runs on the
 * calling thread of one {@link Interceptor.Chain}.
 *
 * <p>Timeouts: the route timeout is a deadline over every attempt and back-off (it starts after a fault delay, as
 * the router's timer starts after the fault filter); each attempt's budget from the plan becomes OkHttp's connect,
 * read and write timeouts of the chain (the cluster's {@code connect_timeout} caps the connect). The client's own
 * connect, read and write timeouts stay when they are tighter; its read timeout expiring is the caller giving up
 * (the {@link SocketTimeoutException} comes back as is and is not retried), as a downstream client's own timeout is
 * in front of a sidecar. OkHttp applies a read timeout to each read, so an upstream that keeps trickling bytes can
 * outlast a per-try timeout; the route deadline is checked between attempts.
 *
 * <p>The caller can give up at any time, as a downstream client can while its sidecar is still delaying a request:
 * the mesh's own waits (a fault delay, a retry back-off) watch the OkHttp call and end within {@link #POLL_NANOS}
 * once it is canceled or its call timeout has passed, failing as OkHttp fails such a call ({@code "Canceled"}, or an
 * {@link InterruptedIOException} {@code "timeout"}); an attempt in flight is abandoned by OkHttp's own cancellation
 * and is neither reported against its host nor retried.
 */
final class ForwardedCall {
  /** The longest a mesh wait goes without looking at whether the caller gave up. */
  static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Interceptor.Chain chain;
  private final TrafficEngine engine;
  private final TrafficEngine.Decision.Send send;
  private final RouteDecision.Forward route;
  private final String authority;
  private final RandomGenerator random;
  private final OkHttpClient shadowClient;
  private final UpstreamRequests upstream;
  /** The attempts' plan, made once the fault filter's delay is over (the route timeout starts then, as in Envoy). */
  private @Nullable AttemptPlan plan;
  /** When the plan's deadline passes ({@link Long#MAX_VALUE}: never, or no plan yet): the mesh's waits end there. */
  private long deadline = Long.MAX_VALUE;
  /**
   * When the caller's call timeout has passed at the latest (OkHttp starts its clock a little earlier and cancels the
   * call then; this bounds the wait should its watchdog be late), or the {@code Timeout}'s own deadline.
   */
  private final long callDeadline;

  ForwardedCall(Interceptor.Chain chain, TrafficEngine engine, TrafficEngine.Decision.Send send, String authority,
      RandomGenerator random, OkHttpClient shadowClient) {
    this.chain = chain;
    this.engine = engine;
    this.send = send;
    this.route = send.route();
    this.authority = authority;
    this.random = random;
    this.shadowClient = shadowClient;
    this.callDeadline = callDeadline(chain.call().timeout(), System.nanoTime());
    Request original = chain.request();
    okhttp3.Headers headers = HeaderEdits.apply(HeaderEdits.withoutRouterHeaders(original.headers()),
        route.requestHeaderMutations());
    this.upstream = new UpstreamRequests(
        headers == original.headers() ? original : original.newBuilder().headers(headers).build(), route, authority);
  }

  Response execute() throws IOException {
    try {
      return run();
    } finally {
      engine.finished(send);
    }
  }

  private Response run() throws IOException {
    Request request = chain.request();
    if (route.fault().isPresent()) {
      RouteDecision.InjectedFault fault = route.fault().get();
      if (fault.delay().isPresent()) {
        sleepUntil(System.nanoTime() + fault.delay().get().toNanos());
      }
      if (fault.abort().isPresent()) {
        RouteDecision.Abort abort = fault.abort().get();
        return LocalReplies.abort(request, abort, new Failure(ResponseFlag.FI, abort.httpStatus(),
            "fault filter abort on route to " + route.cluster()));
      }
    }
    AttemptPlan attemptPlan = AttemptPlan.start(send, System::nanoTime, random);
    plan = attemptPlan;
    deadline = attemptPlan.deadline().orElse(Long.MAX_VALUE);
    Admission admission = send.cluster().circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    if (admission instanceof Admission.Rejected rejected) {
      return LocalReplies.overflow(request, rejected.failure());
    }
    Permit requestPermit = (Permit) admission;
    Permit connection;
    try {
      Admission pooled = connection();
      if (pooled instanceof Admission.Rejected rejected) {
        requestPermit.release();
        return LocalReplies.overflow(request, rejected.failure());
      }
      connection = (Permit) pooled;
    } catch (IOException | RuntimeException | Error e) {
      requestPermit.release();
      throw e;
    }
    Runnable release = () -> {
      connection.release();
      requestPermit.release();
    };
    Response response;
    try {
      new Mirrors(engine, shadowClient, upstream, authority).fire(route);
      response = attempts(attemptPlan);
    } catch (IOException | RuntimeException | Error e) {
      release.run();
      throw e;
    } finally {
      attemptPlan.close();
    }
    okhttp3.Headers headers = HeaderEdits.apply(response.headers(), route.responseHeaderMutations());
    Response.Builder b = ReleasingBody.wrap(response, release).newBuilder().headers(headers);
    route.hash().flatMap(RouteDecision.RequestHash::cookieToSet)
        .ifPresent(cookie -> b.addHeader("set-cookie", cookie.setCookieHeader()));
    String attempts = attemptPlan.downstreamAttemptCount();
    if (attempts != null) {
      b.header(AttemptPlan.ATTEMPT_COUNT_HEADER, attempts);
    }
    return b.build();
  }

  /**
   * The request's HTTP/1.1 connection under the cluster's {@code max_connections} / {@code max_pending_requests}:
   * waiting as pending while every connection is busy, as in Envoy's HTTP/1 pool, until one is given back, the
   * route timeout passes (UT) or the caller gives up.
   */
  private Admission connection() throws IOException {
    long until = deadline == Long.MAX_VALUE || callDeadline - deadline < 0 ? callDeadline : deadline;
    Optional<Admission> pooled;
    try {
      pooled = send.cluster().circuitBreaker()
          .awaitConnection(RoutingPriority.DEFAULT, until, () -> chain.call().isCanceled());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a connection to " + route.cluster());
    }
    if (pooled.isPresent()) {
      return pooled.get();
    }
    checkCaller();
    throw routeTimeout();
  }

  /**
   * The attempts: the first to the engine's host, then as the plan says. An attempt the caller abandoned (canceled
   * call, its own timeout) ends the request with OkHttp's exception, neither reported nor retried.
   */
  private Response attempts(AttemptPlan plan) throws IOException {
    boolean replayable = chain.request().body() == null || !chain.request().body().isOneShot();
    while (true) {
      Attempt result = attempt(plan);
      AttemptPlan.Next next = result.timedOut()
          ? plan.afterTimeout(result.outcome(), replayable) : plan.next(result.outcome(), replayable);
      if (next instanceof AttemptPlan.Next.TimedOut timedOut) {
        result.discard();
        throw new MeshException(timedOut.failure(), result.error());
      }
      if (!(next instanceof AttemptPlan.Next.Retry retry)) {
        return result.finish(plan.retried());
      }
      result.discard();
      sleepUntil(System.nanoTime() + retry.backoffNanos());
      if (plan.retryHost() instanceof PickResult.NoHost none) {
        throw new MeshException(none.failure());
      }
    }
  }

  private Attempt attempt(AttemptPlan plan) throws IOException {
    Host host = plan.host();
    AttemptPlan.Budget budget = plan.budget();
    if (budget instanceof AttemptPlan.Budget.Expired expired) {
      throw new MeshException(expired.failure(), null);
    }
    // The caller's own limits stay when they are the tighter ones: an OkHttp read timeout is the application
    // giving up on a silent upstream, as a downstream client's timeout is in front of a sidecar.
    Interceptor.Chain c = chain;
    long connect = send.cluster().config().connectTimeout().toMillis();
    boolean callersRead = chain.readTimeoutMillis() > 0;
    if (budget instanceof AttemptPlan.Budget.Limited limited) {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(limited.nanos())));
      callersRead = callersRead && chain.readTimeoutMillis() < millis;
      if (!callersRead) {
        c = c.withReadTimeout(millis, TimeUnit.MILLISECONDS);
      }
      if (chain.writeTimeoutMillis() <= 0 || chain.writeTimeoutMillis() > millis) {
        c = c.withWriteTimeout(millis, TimeUnit.MILLISECONDS);
      }
      connect = Math.min(connect, millis);
    }
    if (chain.connectTimeoutMillis() > 0) {
      connect = connect > 0 ? Math.min(connect, chain.connectTimeoutMillis()) : chain.connectTimeoutMillis();
    }
    if (connect > 0) {
      c = c.withConnectTimeout((int) Math.min(Integer.MAX_VALUE, connect), TimeUnit.MILLISECONDS);
    }
    checkCaller();
    host.requestStarted();
    boolean answered = false;
    try {
      Response response = ReleasingBody.wrap(c.proceed(upstream.attemptTo(host, plan.upstreamAttemptCount())),
          host::requestFinished);
      answered = true;
      send.cluster().reportConnectSuccess(host);
      send.cluster().reportHttpStatus(host, response.code());
      return new Attempt(response, new Outcome.Response(response.code(), new OkHttpHeaders(response.headers())),
          null, false);
    } catch (IOException e) {
      return failed(host, e, callersRead);
    } finally {
      if (!answered) {
        host.requestFinished();
      }
    }
  }

  /**
   * The attempt to {@code host} ended with {@code e}: reported and classified, unless the caller gave up (canceled
   * the call, or its own read timeout, {@code callersRead}, expired first).
   */
  private Attempt failed(Host host, IOException e, boolean callersRead) throws IOException {
    if (chain.call().isCanceled()) {
      throw e;
    }
    if (e instanceof SocketTimeoutException) {
      boolean connecting = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
      if (!connecting && callersRead) {
        throw e;
      }
      send.cluster().reportFailure(host, connecting ? UpstreamFailure.CONNECT_FAILED : UpstreamFailure.TIMEOUT);
      return new Attempt(null, connecting ? new Outcome.ConnectFailure() : new Outcome.PerTryTimeout(), e, true);
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
      send.cluster().reportFailure(host, UpstreamFailure.CONNECT_FAILED);
      return new Attempt(null, new Outcome.ConnectFailure(), e, false);
    }
    if (e instanceof InterruptedIOException) {
      throw e;
    }
    send.cluster().reportFailure(host, UpstreamFailure.REQUEST_FAILED);
    return new Attempt(null, new Outcome.Reset(false), e, false);
  }

  /** The request's timeout (UT); only once the plan exists, as only then is there a deadline. */
  private MeshException routeTimeout() {
    return new MeshException(Objects.requireNonNull(plan, "plan").timeout(), null);
  }

  /**
   * Waits until {@code until} (or the route's deadline, which then fails the request with UT), looking every
   * {@link #POLL_NANOS} at whether the caller gave up.
   */
  private void sleepUntil(long until) throws IOException {
    long end = Math.min(until, deadline);
    while (true) {
      checkCaller();
      long wait = end - System.nanoTime();
      if (wait <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, POLL_NANOS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the mesh waited (fault delay or retry back-off)");
      }
    }
    if (end == deadline && deadline != Long.MAX_VALUE && until > deadline) {
      throw routeTimeout();
    }
  }

  /**
   * Fails as OkHttp fails a call its caller gave up on: {@code "Canceled"} once the call is canceled (by
   * {@code cancel()} or by OkHttp's call timeout, which it then reports as {@code "timeout"}), {@code "timeout"} once
   * the call timeout has passed.
   */
  private void checkCaller() throws IOException {
    if (chain.call().isCanceled()) {
      throw new IOException("Canceled");
    }
    if (System.nanoTime() - callDeadline >= 0) {
      throw new InterruptedIOException("timeout");
    }
  }

  /** The latest instant {@code timeout} lets the call run to, counted from {@code now}; far future without one. */
  static long callDeadline(okio.Timeout timeout, long now) {
    long far = now + Long.MAX_VALUE / 2;
    long end = far;
    if (timeout.timeoutNanos() > 0) {
      end = now + Math.min(timeout.timeoutNanos(), Long.MAX_VALUE / 2);
    }
    if (timeout.hasDeadline() && timeout.deadlineNanoTime() - end < 0) {
      end = timeout.deadlineNanoTime();
    }
    return end;
  }

  /**
   * One attempt's result: a response, or the exception that ended it; {@code timedOut}: a timer of the attempt's
   * budget ended it.
   */
  private record Attempt(@Nullable Response response, Outcome outcome, @Nullable IOException error,
      boolean timedOut) {

    Response finish(boolean retried) throws MeshException {
      if (response != null) {
        return response;
      }
      ResponseFlag flag;
      int status;
      String reason;
      if (outcome instanceof Outcome.ConnectFailure) {
        flag = ResponseFlag.UF;
        status = 503;
        reason = "upstream connect error: connection failure";
      } else if (outcome instanceof Outcome.PerTryTimeout) {
        flag = ResponseFlag.UT;
        status = 504;
        reason = "upstream request timeout (per-try timeout)";
      } else {
        flag = ResponseFlag.UC;
        status = 503;
        reason = "upstream connect error or disconnect/reset before headers";
      }
      if (retried) {
        reason = reason + "; retries exhausted (" + ResponseFlag.URX.code() + ")";
      }
      throw new MeshException(new Failure(flag, status, reason + ": " + error), error);
    }

    void discard() {
      if (response != null) {
        response.close();
      }
    }
  }
}
