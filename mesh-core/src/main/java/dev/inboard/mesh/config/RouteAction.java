package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a matched route does: the {@code action} oneof of Envoy's {@code route.v3.Route}. */
public sealed interface RouteAction {

  /**
   * Forward upstream ({@code route}).
   *
   * @param timeout absent: Envoy's default of 15 s applies (the runtime applies it); zero disables the timeout
   * @param idleTimeout absent: only the connection manager's stream idle timeout applies; zero disables both
   * @param retryPolicy absent: the virtual host's policy, if any, applies
   * @param mirrorPolicies empty: the virtual host's (then the route configuration's) policies apply
   * @param cors the deprecated route-level {@code cors} field
   */
  record Forward(
      ClusterSpecifier cluster,
      Optional<Duration> timeout,
      Optional<Duration> idleTimeout,
      Optional<RetryPolicy> retryPolicy,
      List<HashPolicy> hashPolicies,
      List<MirrorPolicy> mirrorPolicies,
      Optional<PathRewrite> pathRewrite,
      Optional<HostRewrite> hostRewrite,
      Optional<MaxStreamDuration> maxStreamDuration,
      Optional<CorsPolicy> cors) implements RouteAction {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public Forward {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(retryPolicy, "retryPolicy");
      hashPolicies = List.copyOf(hashPolicies);
      mirrorPolicies = List.copyOf(mirrorPolicies);
      Objects.requireNonNull(pathRewrite, "pathRewrite");
      Objects.requireNonNull(hostRewrite, "hostRewrite");
      Objects.requireNonNull(maxStreamDuration, "maxStreamDuration");
      Objects.requireNonNull(cors, "cors");
    }
  }

  /**
   * Answer with a redirect ({@code redirect}). Absent parts of the URL are kept from the request.
   *
   * @param scheme {@code https} for {@code https_redirect}, or the {@code scheme_redirect} value
   * @param responseCode 301 (the default), 302, 303, 307 or 308
   */
  record Redirect(
      Optional<String> scheme,
      Optional<String> host,
      Optional<Integer> port,
      Optional<PathRedirect> path,
      int responseCode,
      boolean stripQuery) implements RouteAction {

    public static final Set<Integer> RESPONSE_CODES = Set.of(301, 302, 303, 307, 308);

    public Redirect {
      Objects.requireNonNull(scheme, "scheme");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(path, "path");
      if (!RESPONSE_CODES.contains(responseCode)) {
        throw new IllegalArgumentException("redirect response code must be one of 301, 302, 303, 307, 308, was "
            + responseCode);
      }
      port.ifPresent(p -> {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("redirect port must be in [1, 65535], was " + p);
        }
      });
    }
  }

  /** Answer directly ({@code direct_response}) with a status in [200, 600) and an optional body. */
  record DirectResponse(int status, Optional<String> body) implements RouteAction {
    public DirectResponse {
      Objects.requireNonNull(body, "body");
      if (status < 200 || status >= 600) {
        throw new IllegalArgumentException("direct response status must be in [200, 600), was " + status);
      }
    }
  }

  /**
   * Let the server's own handler answer ({@code non_forwarding_action}): the route of a proxyless gRPC server's
   * inbound listener.
   */
  record NonForwarding() implements RouteAction {}

  /** The {@code cluster_specifier} oneof. */
  sealed interface ClusterSpecifier {

    /** One named cluster, e.g. {@code outbound|9080|v1|reviews.default.svc.cluster.local}. */
    record Single(String name) implements ClusterSpecifier {
      public Single {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
          throw new IllegalArgumentException("cluster name must not be empty");
        }
      }
    }

    /** Several clusters picked by weight; the weights sum to more than zero. */
    record Weighted(List<WeightedCluster> clusters) implements ClusterSpecifier {
      public Weighted {
        clusters = List.copyOf(clusters);
        if (clusters.isEmpty()) {
          throw new IllegalArgumentException("weighted clusters must not be empty");
        }
        long total = clusters.stream().mapToLong(WeightedCluster::weight).sum();
        if (total <= 0) {
          throw new IllegalArgumentException("total weight must be > 0, was " + total);
        }
      }

      public long totalWeight() {
        return clusters.stream().mapToLong(WeightedCluster::weight).sum();
      }
    }

    /** The cluster named by a request header (lower case); the runtime answers 404 when absent or unknown. */
    record Header(String headerName) implements ClusterSpecifier {
      public Header {
        Objects.requireNonNull(headerName, "headerName");
        headerName = headerName.toLowerCase(Locale.ROOT);
      }
    }
  }

  /**
   * One entry of {@code weighted_clusters}. Header mutations and per-filter configs here apply when this cluster is
   * picked, before the route's own.
   *
   * @param weight in [0, 2^32 - 1]
   */
  record WeightedCluster(
      String name,
      long weight,
      HeaderMutation requestHeaders,
      HeaderMutation responseHeaders,
      Map<String, FilterOverride> typedPerFilterConfig,
      Optional<String> hostRewriteLiteral) {

    public static final long MAX_WEIGHT = 0xFFFF_FFFFL;

    public WeightedCluster {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(requestHeaders, "requestHeaders");
      Objects.requireNonNull(responseHeaders, "responseHeaders");
      typedPerFilterConfig = Map.copyOf(typedPerFilterConfig);
      Objects.requireNonNull(hostRewriteLiteral, "hostRewriteLiteral");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("weighted cluster name must not be empty");
      }
      if (weight < 0 || weight > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight of " + name + " must be in [0, " + MAX_WEIGHT + "], was " + weight);
      }
    }
  }

  /** How the path is rewritten before forwarding. */
  sealed interface PathRewrite {

    /** Replace the matched prefix (or the whole exact path) with {@code prefix}. */
    record Prefix(String prefix) implements PathRewrite {
      public Prefix {
        Objects.requireNonNull(prefix, "prefix");
      }
    }

    /** Apply a regex substitution to the path. */
    record Regex(RegexRewrite rewrite) implements PathRewrite {
      public Regex {
        Objects.requireNonNull(rewrite, "rewrite");
      }
    }
  }

  /** How the authority (host) is rewritten before forwarding. */
  sealed interface HostRewrite {

    /** A fixed value ({@code host_rewrite_literal}). */
    record Literal(String host) implements HostRewrite {
      public Literal {
        Objects.requireNonNull(host, "host");
      }
    }

    /** The chosen upstream host's hostname ({@code auto_host_rewrite}). */
    record Auto() implements HostRewrite {}

    /** The value of a request header, when present and non-empty ({@code host_rewrite_header}). */
    record Header(String headerName) implements HostRewrite {
      public Header {
        Objects.requireNonNull(headerName, "headerName");
        headerName = headerName.toLowerCase(Locale.ROOT);
      }
    }

    /** A regex substitution on the path ({@code host_rewrite_path_regex}). */
    record PathRegex(RegexRewrite rewrite) implements HostRewrite {
      public PathRegex {
        Objects.requireNonNull(rewrite, "rewrite");
      }
    }
  }

  /** How a redirect's path is built. */
  sealed interface PathRedirect {

    /** Replace the path (and query, when it has one) with {@code path}. */
    record Path(String path) implements PathRedirect {
      public Path {
        Objects.requireNonNull(path, "path");
      }
    }

    /** Replace the matched prefix. */
    record Prefix(String prefix) implements PathRedirect {
      public Prefix {
        Objects.requireNonNull(prefix, "prefix");
      }
    }

    /** Apply a regex substitution to the path. */
    record Regex(RegexRewrite rewrite) implements PathRedirect {
      public Regex {
        Objects.requireNonNull(rewrite, "rewrite");
      }
    }
  }

  /**
   * The route's {@code max_stream_duration}. Istio sets {@code max_stream_duration: 0s} and
   * {@code grpc_timeout_header_max: 0s} on every route: no limit, and a gRPC deadline header is honoured as is.
   *
   * @param maxStreamDuration absent: the connection manager's limit; zero disables it for this route
   * @param grpcTimeoutHeaderMax present: the {@code grpc-timeout} header sets the stream limit, capped at this value
   *     (zero: uncapped)
   * @param grpcTimeoutHeaderOffset subtracted from the {@code grpc-timeout} header's value
   */
  record MaxStreamDuration(
      Optional<Duration> maxStreamDuration,
      Optional<Duration> grpcTimeoutHeaderMax,
      Optional<Duration> grpcTimeoutHeaderOffset) {
    public MaxStreamDuration {
      Objects.requireNonNull(maxStreamDuration, "maxStreamDuration");
      Objects.requireNonNull(grpcTimeoutHeaderMax, "grpcTimeoutHeaderMax");
      Objects.requireNonNull(grpcTimeoutHeaderOffset, "grpcTimeoutHeaderOffset");
    }
  }
}
