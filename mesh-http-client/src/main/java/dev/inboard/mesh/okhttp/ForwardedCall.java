package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.resilience.Admission;
import dev.inboard.mesh.resilience.Permit;
import dev.inboard.mesh.resilience.Resource;
import dev.inboard.mesh.resilience.RetryBackoff;
import dev.inboard.mesh.resilience.RoutingPriority;
import dev.inboard.mesh.resilience.UpstreamFailure;
import dev.inboard.mesh.routing.RetryConditions;
import dev.inboard.mesh.routing.RetryConditions.Outcome;
import dev.inboard.mesh.routing.RouteDecision;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One request the engine decided to send: the fault, the cluster's request permit, the attempts with their
 * timeouts, retries and host re-picks, the mirrors, and the response's header mutations. Not thread-safe: it runs on
 * the calling thread of one {@link Interceptor.Chain}.
 *
 * <p>Timeouts: the route timeout is a deadline over every attempt and back-off (it starts after a fault delay, as
 * the router's timer starts after the fault filter); each attempt gets the
 * smaller of the per-try timeout and what is left of it as OkHttp's connect, read and write timeouts of the chain
 * (the cluster's {@code connect_timeout} caps the connect). OkHttp applies a read timeout to each read, so an
 * upstream that keeps trickling bytes can outlast a per-try timeout; the route deadline is checked between attempts.
 */
final class ForwardedCall {
  static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";

  private final Interceptor.Chain chain;
  private final TrafficEngine engine;
  private final TrafficEngine.Decision.Send send;
  private final RouteDecision.Forward route;
  private final String authority;
  private final RandomGenerator random;
  private final OkHttpClient shadowClient;
  private final UpstreamRequests upstream;
  /** When the route timeout expires; it starts once the fault filter's delay is over, as in Envoy. */
  private long deadline = Long.MAX_VALUE;

  ForwardedCall(Interceptor.Chain chain, TrafficEngine engine, TrafficEngine.Decision.Send send, String authority,
      RandomGenerator random, OkHttpClient shadowClient) {
    this.chain = chain;
    this.engine = engine;
    this.send = send;
    this.route = send.route();
    this.authority = authority;
    this.random = random;
    this.shadowClient = shadowClient;
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
    deadline = route.timeout().map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
    Admission admission = send.cluster().circuitBreaker().tryAcquire(Resource.REQUESTS, RoutingPriority.DEFAULT);
    if (admission instanceof Admission.Rejected rejected) {
      return LocalReplies.overflow(request, rejected.failure());
    }
    Permit permit = (Permit) admission;
    Response response;
    try {
      new Mirrors(engine, shadowClient, upstream, authority).fire(route);
      response = attempts();
    } catch (IOException | RuntimeException | Error e) {
      permit.release();
      throw e;
    }
    okhttp3.Headers headers = HeaderEdits.apply(response.headers(), route.responseHeaderMutations());
    Response.Builder b = ReleasingBody.wrap(response, permit::release).newBuilder().headers(headers);
    route.hash().flatMap(RouteDecision.RequestHash::cookieToSet)
        .ifPresent(cookie -> b.addHeader("set-cookie", cookie.setCookieHeader()));
    return b.build();
  }

  /** The attempts: the first to the engine's host, retries as the retry policy and the circuit breaker allow. */
  private Response attempts() throws IOException {
    RetryPolicy policy = route.retryPolicy().orElse(null);
    int retriesLeft = policy == null ? 0 : policy.numRetries();
    RetryBackoff backoff = policy == null ? null : RetryBackoff.of(policy, random);
    boolean replayable = chain.request().body() == null || !chain.request().body().isOneShot();
    Set<SocketAddress> tried = new HashSet<>();
    Host host = send.host();
    Permit retryPermit = null;
    int attempt = 0;
    try {
      while (true) {
        attempt++;
        tried.add(host.address());
        Attempt result = attempt(host);
        if (retryPermit != null) {
          retryPermit.release();
          retryPermit = null;
        }
        Host next = null;
        if (policy != null && retriesLeft > 0 && replayable && result.outcome() != null
            && RetryConditions.retriable(policy, result.outcome()) && System.nanoTime() < deadline) {
          Admission admission = send.cluster().circuitBreaker().tryAcquire(Resource.RETRIES, RoutingPriority.DEFAULT);
          if (admission instanceof Permit p) {
            retryPermit = p;
            next = pickRetryHost(policy, tried);
          }
        }
        if (next == null) {
          return result.finish(attempt > 1);
        }
        result.discard();
        retriesLeft--;
        sleepUntil(System.nanoTime() + backoff.next().toNanos());
        host = next;
      }
    } finally {
      if (retryPermit != null) {
        retryPermit.release();
      }
    }
  }

  private @Nullable Host pickRetryHost(RetryPolicy policy, Set<SocketAddress> tried) {
    PickRequest pick = route.pickRequest();
    if (policy.retryHostPredicates().contains(PREVIOUS_HOSTS)) {
      pick = pick.avoiding(tried, policy.hostSelectionRetryMaxAttempts());
    }
    PickResult result = send.cluster().pick(pick);
    return result instanceof Host h ? h : null;
  }

  private Attempt attempt(Host host) throws IOException {
    long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    if (remaining <= 0) {
      throw routeTimeout(null);
    }
    long budget = remaining;
    if (route.perTryTimeout().isPresent()) {
      budget = Math.min(budget, route.perTryTimeout().get().toNanos());
    }
    Interceptor.Chain c = chain;
    long connect = send.cluster().config().connectTimeout().toMillis();
    if (deadline != Long.MAX_VALUE || route.perTryTimeout().isPresent()) {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(budget)));
      c = c.withReadTimeout(millis, TimeUnit.MILLISECONDS).withWriteTimeout(millis, TimeUnit.MILLISECONDS);
      connect = Math.min(connect, millis);
    }
    if (connect > 0) {
      c = c.withConnectTimeout((int) Math.min(Integer.MAX_VALUE, connect), TimeUnit.MILLISECONDS);
    }
    host.requestStarted();
    boolean answered = false;
    try {
      Response response = ReleasingBody.wrap(c.proceed(upstream.to(host)), host::requestFinished);
      answered = true;
      send.cluster().reportConnectSuccess(host);
      send.cluster().reportHttpStatus(host, response.code());
      return new Attempt(response, new Outcome.Response(response.code(), new OkHttpHeaders(response.headers())),
          null);
    } catch (SocketTimeoutException e) {
      if (chain.call().isCanceled()) {
        throw e;
      }
      boolean connecting = String.valueOf(e.getMessage()).contains("connect");
      send.cluster().reportFailure(host, connecting ? UpstreamFailure.CONNECT_FAILED : UpstreamFailure.TIMEOUT);
      if (System.nanoTime() >= deadline) {
        throw routeTimeout(e);
      }
      return new Attempt(null, connecting ? new Outcome.ConnectFailure() : new Outcome.PerTryTimeout(), e);
    } catch (ConnectException | NoRouteToHostException e) {
      send.cluster().reportFailure(host, UpstreamFailure.CONNECT_FAILED);
      return new Attempt(null, new Outcome.ConnectFailure(), e);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      if (chain.call().isCanceled()) {
        throw e;
      }
      send.cluster().reportFailure(host, UpstreamFailure.REQUEST_FAILED);
      return new Attempt(null, new Outcome.Reset(false), e);
    } finally {
      if (!answered) {
        host.requestFinished();
      }
    }
  }

  private MeshException routeTimeout(@Nullable IOException cause) {
    return new MeshException(new Failure(ResponseFlag.UT, 504, "upstream request timeout: route to "
        + route.cluster() + " allows " + route.timeout().map(Duration::toString).orElse("no limit")), cause);
  }

  /** Waits until {@code until} (or the route's deadline, which then fails the request with UT). */
  private void sleepUntil(long until) throws IOException {
    long end = Math.min(until, deadline);
    long wait = end - System.nanoTime();
    try {
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the mesh waited (fault delay or retry back-off)");
    }
    if (end == deadline && deadline != Long.MAX_VALUE && until > deadline) {
      throw routeTimeout(null);
    }
  }

  /** One attempt's result: a response, or the exception that ended it. */
  private record Attempt(@Nullable Response response, @Nullable Outcome outcome, @Nullable IOException error) {

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
