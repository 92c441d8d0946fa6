package dev.inboard.mesh.routing;

import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.VirtualHostConfig;
import dev.inboard.mesh.decision.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What Envoy's router would do with one request, before any upstream host is chosen. */
public sealed interface RouteDecision {

  /**
   * Send the request upstream.
   *
   * @param cluster the cluster to send to (for {@code cluster_header}, the header's value; whether the cluster
   *     exists is the caller's check: Envoy answers 503 with {@code NC} when it does not)
   * @param virtualHost the matched virtual host
   * @param route the matched route (name, decorator, metadata)
   * @param timeout the whole request's timeout; empty means none (route {@code timeout: 0s}, or a gRPC request
   *     without a deadline on a route that honours {@code grpc-timeout}); the
   *     {@code x-envoy-upstream-rq-timeout-ms} request header overrides it, as in Envoy (the caller removes the
   *     header before sending)
   * @param idleTimeout the route's stream idle timeout, when it sets one (zero disables the connection manager's)
   * @param retryPolicy the route's policy, else the virtual host's
   * @param perTryTimeout the timeout of each attempt: the {@code x-envoy-upstream-rq-per-try-timeout-ms} header,
   *     else the retry policy's; empty when neither sets one or when it is not below a request timeout (Envoy
   *     ignores it then)
   * @param hash the request hash for ring-hash and Maglev load balancers, when a hash policy produced one
   * @param mirrors the mirror targets chosen for this request (fire and forget)
   * @param requestHeaderMutations to apply in order, each removing then adding
   * @param responseHeaderMutations to apply to the response in order, each removing then adding
   * @param path the {@code :path} to send when the route rewrites it (query string kept); empty: unchanged
   * @param authority the {@code :authority} to send when the route rewrites it; empty: unchanged
   * @param autoHostRewrite the authority becomes the chosen upstream host's hostname
   * @param fault the fault to inject into this request, when one was drawn
   * @param maxStreamDuration the stream's maximum duration, when limited
   */
  record Forward(
      String cluster,
      VirtualHostConfig virtualHost,
      RouteRule route,
      Optional<Duration> timeout,
      Optional<Duration> idleTimeout,
      Optional<RetryPolicy> retryPolicy,
      Optional<Duration> perTryTimeout,
      Optional<RequestHash> hash,
      List<MirrorPolicy> mirrors,
      List<HeaderMutation> requestHeaderMutations,
      List<HeaderMutation> responseHeaderMutations,
      Optional<String> path,
      Optional<String> authority,
      boolean autoHostRewrite,
      Optional<InjectedFault> fault,
      Optional<Duration> maxStreamDuration) implements RouteDecision {

    public Forward {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(virtualHost, "virtualHost");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(retryPolicy, "retryPolicy");
      Objects.requireNonNull(perTryTimeout, "perTryTimeout");
      Objects.requireNonNull(hash, "hash");
      mirrors = List.copyOf(mirrors);
      requestHeaderMutations = List.copyOf(requestHeaderMutations);
      responseHeaderMutations = List.copyOf(responseHeaderMutations);
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(fault, "fault");
      Objects.requireNonNull(maxStreamDuration, "maxStreamDuration");
    }

    /**
     * What to ask the load balancer for: the request hash when a hash policy produced one. Without a hash this is
     * the shared {@link PickRequest#ANY}, so the common pick allocates nothing.
     */
    public PickRequest pickRequest() {
      return hash.isEmpty() ? PickRequest.ANY : PickRequest.withHash(hash.get().value());
    }

    /** The same decision without a fault (when the fault filter's active-fault limit is reached). */
    public Forward withoutFault() {
      return new Forward(cluster, virtualHost, route, timeout, idleTimeout, retryPolicy, perTryTimeout, hash,
          mirrors, requestHeaderMutations, responseHeaderMutations, path, authority, autoHostRewrite,
          Optional.empty(), maxStreamDuration);
    }

    /** The per-attempt idle timeout of the retry policy, when it sets one. */
    public Optional<Duration> perTryIdleTimeout() {
      return retryPolicy.flatMap(RetryPolicy::perTryIdleTimeout);
    }
  }

  /**
   * Answer with a redirect.
   *
   * @param status 301, 302, 303, 307 or 308
   * @param location the absolute URL for the {@code location} header
   */
  record Redirect(int status, String location, List<HeaderMutation> responseHeaderMutations)
      implements RouteDecision {
    public Redirect {
      Objects.requireNonNull(location, "location");
      responseHeaderMutations = List.copyOf(responseHeaderMutations);
    }
  }

  /** Answer directly with a status and an optional body. */
  record DirectResponse(int status, Optional<String> body, List<HeaderMutation> responseHeaderMutations)
      implements RouteDecision {
    public DirectResponse {
      Objects.requireNonNull(body, "body");
      responseHeaderMutations = List.copyOf(responseHeaderMutations);
    }
  }

  /** Let the server's own handler answer (the route of a proxyless gRPC server's inbound listener). */
  record NonForwarding(VirtualHostConfig virtualHost, RouteRule route) implements RouteDecision {
    public NonForwarding {
      Objects.requireNonNull(virtualHost, "virtualHost");
      Objects.requireNonNull(route, "route");
    }
  }

  /** Not routed: {@code NR} with 404 when no virtual host or route matches, {@code NC} when no cluster is named. */
  record Rejected(Failure failure) implements RouteDecision {
    public Rejected {
      Objects.requireNonNull(failure, "failure");
    }
  }

  /**
   * The request hash, as Envoy combines the route's hash policies.
   *
   * @param value the 64-bit hash the load balancer places on its ring or table
   * @param cookieToSet a cookie the hash policy generated because the request had none: the response must set it
   */
  record RequestHash(long value, Optional<GeneratedCookie> cookieToSet) {
    public RequestHash {
      Objects.requireNonNull(cookieToSet, "cookieToSet");
    }
  }

  /**
   * A cookie to set on the response ({@code set-cookie: name="value"; Max-Age=ttl; Path=path; HttpOnly}).
   *
   * @param ttl zero: a session cookie (no {@code Max-Age})
   */
  record GeneratedCookie(String name, String value, Duration ttl, Optional<String> path) {
    public GeneratedCookie {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(path, "path");
    }

    /** The {@code set-cookie} header value, as Envoy formats it. */
    public String setCookieHeader() {
      StringBuilder sb = new StringBuilder(name).append("=\"").append(value).append('"');
      if (!ttl.isZero()) {
        sb.append("; Max-Age=").append(ttl.getSeconds());
      }
      path.ifPresent(p -> sb.append("; Path=").append(p));
      return sb.append("; HttpOnly").toString();
    }
  }

  /**
   * A fault drawn for this request: wait {@code delay} (flag {@code DI}), then, with an abort, answer locally
   * (flag {@code FI}).
   *
   * @param maxActiveFaults the fault filter's limit on concurrently active faults, which the caller enforces
   */
  record InjectedFault(Optional<Duration> delay, Optional<Abort> abort, Optional<Integer> maxActiveFaults) {
    public InjectedFault {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(abort, "abort");
      Objects.requireNonNull(maxActiveFaults, "maxActiveFaults");
    }
  }

  /**
   * An injected abort.
   *
   * @param httpStatus the HTTP status (200 for a gRPC abort, whose status travels in {@code grpc-status})
   * @param grpcStatus the gRPC status code of a gRPC abort
   */
  record Abort(int httpStatus, Optional<Integer> grpcStatus) {
    public Abort {
      Objects.requireNonNull(grpcStatus, "grpcStatus");
    }
  }
}
