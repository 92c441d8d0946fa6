package dev.inboard.mesh.routing;

import com.google.re2j.Pattern;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.decision.Failure;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.routing.RouteDecision.Forward;
import dev.inboard.mesh.routing.RouteDecision.InjectedFault;
import dev.inboard.mesh.routing.RouteDecision.RequestHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A forwarding route compiled: one precomputed {@link Forward} per cluster it can pick (the decision itself when
 * nothing about it depends on the request), and what must be computed per request (hash, fractional mirrors,
 * rewrites, faults, gRPC deadlines, a cluster named by a header).
 */
final class ForwardResolver implements RouteResolver {
  private final Target[] targets;
  private final long[] cumulativeWeights;
  private final long totalWeight;
  private final @Nullable String clusterHeader;
  private final HashPolicies hashPolicies;
  private final List<MirrorPolicy> mirrorPolicies;
  private final boolean mirrorsFixed;
  private final Timeouts timeouts;
  private final @Nullable PathRewriter pathRewriter;
  private final RouteAction.@Nullable HostRewrite hostRewrite;
  private final @Nullable Pattern hostPathRegex;
  private final String hostPathSubstitution;
  /** Whether anything but a gRPC deadline can make the decision differ from the precomputed one. */
  private final boolean dynamic;
  private final boolean grpcDeadlines;
  private final Forward firstBase;
  private final boolean singleTarget;

  /** One cluster the route may pick and what is fixed for it. */
  private record Target(Forward base, @Nullable FaultPlan fault) {}

  ForwardResolver(RouteScope scope, RouteAction.Forward forward) {
    this.timeouts = new Timeouts(forward, scope.options().maxStreamDuration());
    this.hashPolicies = new HashPolicies(forward.hashPolicies());
    List<MirrorPolicy> mirrors = scope.mirrorPolicies(forward);
    this.mirrorPolicies = mirrors.stream().filter(m -> m.fraction().perMillion() > 0).toList();
    this.mirrorsFixed = mirrorPolicies.stream().allMatch(m -> m.fraction().perMillion() >= Fraction.MILLION);
    this.pathRewriter = forward.pathRewrite().map(ForwardResolver::rewriter).orElse(null);
    this.hostRewrite = forward.hostRewrite().orElse(null);
    if (hostRewrite instanceof RouteAction.HostRewrite.PathRegex regex) {
      this.hostPathRegex = Pattern.compile(regex.rewrite().regex());
      this.hostPathSubstitution = RegexSubstitution.toRe2j(regex.rewrite().substitution());
    } else {
      this.hostPathRegex = null;
      this.hostPathSubstitution = "";
    }
    RouteAction.ClusterSpecifier spec = forward.cluster();
    List<Target> list = new ArrayList<>();
    if (spec instanceof RouteAction.ClusterSpecifier.Weighted weighted) {
      this.cumulativeWeights = new long[weighted.clusters().size()];
      long sum = 0;
      for (int i = 0; i < weighted.clusters().size(); i++) {
        RouteAction.WeightedCluster cluster = weighted.clusters().get(i);
        sum += cluster.weight();
        cumulativeWeights[i] = sum;
        list.add(target(scope, forward, cluster.name(), cluster));
      }
      this.totalWeight = sum;
      this.clusterHeader = null;
    } else {
      this.cumulativeWeights = new long[] {1};
      this.totalWeight = 1;
      if (spec instanceof RouteAction.ClusterSpecifier.Header header) {
        this.clusterHeader = header.headerName();
        list.add(target(scope, forward, "", null));
      } else {
        this.clusterHeader = null;
        list.add(target(scope, forward, ((RouteAction.ClusterSpecifier.Single) spec).name(), null));
      }
    }
    this.targets = list.toArray(Target[]::new);
    this.firstBase = targets[0].base();
    this.singleTarget = targets.length == 1;
    boolean anyFault = list.stream().anyMatch(t -> t.fault() != null);
    this.dynamic = clusterHeader != null || !hashPolicies.isEmpty() || !mirrorsFixed || pathRewriter != null
        || hostPathRegex != null || hostRewrite instanceof RouteAction.HostRewrite.Header || anyFault;
    this.grpcDeadlines = timeouts.honoursGrpcTimeout();
  }

  @Override
  public @Nullable RouteDecision staticDecision() {
    return !dynamic && singleTarget ? firstBase : null;
  }

  @Override
  public boolean staticUnlessGrpc() {
    return grpcDeadlines;
  }

  private static PathRewriter rewriter(RouteAction.PathRewrite rewrite) {
    if (rewrite instanceof RouteAction.PathRewrite.Prefix prefix) {
      return PathRewriter.prefix(prefix.prefix());
    }
    return PathRewriter.regex(((RouteAction.PathRewrite.Regex) rewrite).rewrite());
  }

  private Target target(
      RouteScope scope, RouteAction.Forward forward, String cluster, RouteAction.@Nullable WeightedCluster weighted) {
    Optional<String> authority = Optional.empty();
    if (hostRewrite instanceof RouteAction.HostRewrite.Literal literal) {
      authority = Optional.of(literal.host());
    } else if (weighted != null && weighted.hostRewriteLiteral().isPresent()) {
      authority = weighted.hostRewriteLiteral();
    }
    Forward base = new Forward(
        cluster,
        scope.virtualHost(),
        scope.route(),
        timeouts.timeout(),
        forward.idleTimeout(),
        scope.retryPolicy(forward),
        Timeouts.effectivePerTry(scope.retryPolicy(forward).flatMap(RetryPolicy::perTryTimeout), timeouts.timeout()),
        Optional.empty(),
        mirrorsFixed ? mirrorPolicies : List.of(),
        scope.requestMutations(weighted),
        scope.responseMutations(weighted),
        Optional.empty(),
        authority,
        hostRewrite instanceof RouteAction.HostRewrite.Auto,
        Optional.empty(),
        timeouts.maxStreamDuration());
    return new Target(base, FaultPlan.of(scope.fault(weighted)));
  }

  @Override
  public RouteDecision resolve(
      RequestInfo request, CompiledRoute route, int pathEnd, long random, RandomGenerator rng) {
    boolean timeoutHeaders = Timeouts.hasTimeoutHeaders(request.headers());
    if (!dynamic && !timeoutHeaders && (!grpcDeadlines || !request.isGrpc())) {
      return singleTarget ? firstBase : targets[pick(random)].base();
    }
    Target target = targets[pick(random)];
    Forward base = target.base();
    String cluster = base.cluster();
    if (clusterHeader != null) {
      String named = request.headers().first(clusterHeader);
      if (named == null || named.isEmpty()) {
        return new RouteDecision.Rejected(new Failure(ResponseFlag.NC, 503,
            "route " + route.rule.name() + " takes its cluster from header " + clusterHeader
                + ", which the request does not carry"));
      }
      cluster = named;
    }
    Optional<Duration> timeout = base.timeout();
    Optional<Duration> maxStreamDuration = base.maxStreamDuration();
    if (grpcDeadlines && request.isGrpc()) {
      Duration header = Timeouts.parseGrpcTimeout(request.headers().first("grpc-timeout"));
      timeout = timeouts.grpcRequestTimeout(header);
      maxStreamDuration = timeouts.grpcMaxStreamDuration(header);
    }
    Optional<Duration> perTryTimeout = base.perTryTimeout();
    if (timeoutHeaders) {
      Duration global = Timeouts.headerMillis(request.headers().first(Timeouts.TIMEOUT_HEADER));
      if (global != null) {
        timeout = global.isZero() ? Optional.empty() : Optional.of(global);
      }
      Duration perTry = Timeouts.headerMillis(request.headers().first(Timeouts.PER_TRY_TIMEOUT_HEADER));
      perTryTimeout = Timeouts.effectivePerTry(
          perTry != null ? Optional.of(perTry) : base.retryPolicy().flatMap(RetryPolicy::perTryTimeout), timeout);
    } else if (!timeout.equals(base.timeout())) {
      perTryTimeout = Timeouts.effectivePerTry(base.retryPolicy().flatMap(RetryPolicy::perTryTimeout), timeout);
    }
    InjectedFault fault = target.fault() == null ? null : target.fault().draw(request, cluster, rng);
    Optional<RequestHash> hash = hashPolicies.isEmpty() ? Optional.empty() : hashPolicies.evaluate(request);
    List<MirrorPolicy> mirrors = mirrorsFixed ? base.mirrors() : drawMirrors(rng);
    Optional<String> path = pathRewriter == null
        ? Optional.empty() : Optional.of(pathRewriter.rewrite(request.path(), route, pathEnd));
    Optional<String> authority = rewriteAuthority(request, pathEnd, base.authority());
    if (clusterHeader == null && fault == null && hash.isEmpty() && mirrors == base.mirrors() && path.isEmpty()
        && authority == base.authority() && timeout.equals(base.timeout())
        && perTryTimeout.equals(base.perTryTimeout())
        && maxStreamDuration.equals(base.maxStreamDuration())) {
      return base;
    }
    return new Forward(cluster, base.virtualHost(), base.route(), timeout, base.idleTimeout(), base.retryPolicy(),
        perTryTimeout, hash, mirrors, base.requestHeaderMutations(), base.responseHeaderMutations(), path, authority,
        base.autoHostRewrite(), Optional.ofNullable(fault), maxStreamDuration);
  }

  /** The target for the request's random value: Envoy takes it modulo the total weight over cumulative ranges. */
  private int pick(long random) {
    if (targets.length == 1) {
      return 0;
    }
    long selected = Long.remainderUnsigned(random, totalWeight);
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (selected < cumulativeWeights[i]) {
        return i;
      }
    }
    return cumulativeWeights.length - 1;
  }

  private List<MirrorPolicy> drawMirrors(RandomGenerator rng) {
    List<MirrorPolicy> chosen = null;
    for (MirrorPolicy mirror : mirrorPolicies) {
      if (FaultPlan.hit(mirror.fraction(), rng)) {
        if (chosen == null) {
          chosen = new ArrayList<>(mirrorPolicies.size());
        }
        chosen.add(mirror);
      }
    }
    return chosen == null ? List.of() : chosen;
  }

  private Optional<String> rewriteAuthority(RequestInfo request, int pathEnd, Optional<String> fixed) {
    if (hostRewrite instanceof RouteAction.HostRewrite.Header header) {
      String value = request.headers().first(header.headerName());
      return value == null || value.isEmpty() ? fixed : Optional.of(value);
    }
    if (hostPathRegex != null) {
      String path = request.path().substring(0, pathEnd);
      return Optional.of(hostPathRegex.matcher(path).replaceAll(hostPathSubstitution));
    }
    return fixed;
  }
}
