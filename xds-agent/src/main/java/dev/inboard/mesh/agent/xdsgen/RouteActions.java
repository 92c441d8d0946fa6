package dev.inboard.mesh.agent.xdsgen;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPBodyBytes;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPBodyString;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPDirectResponse;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMirrorPolicy;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirect;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectDerivePort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectPort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectRedirectPortSelection;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.RegexRewrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The action of a VirtualService HTTP route: forward (one cluster or weighted clusters, with rewrites, mirrors,
 * timeout, retries and hash policies), redirect, or direct response.
 */
final class RouteActions {
  /** The cluster istiod names when a destination has no host. */
  static final String UNKNOWN_SERVICE = "UnknownService";

  private RouteActions() {}

  /** Destination context of one VirtualService on one listener port. */
  record Context(
      String namespace, String domainSuffix, int listenPort, boolean proxyless,
      HashPolicies hashPolicies) {

    /** A destination host as written in the VirtualService, fully qualified against its namespace. */
    String resolve(String host) {
      return IstioHosts.resolve(host, namespace, domainSuffix);
    }
  }

  /** {@code outbound|<port>|<subset>|<host>}: the destination's port when named, else the listener port. */
  static String cluster(Destination destination, Context ctx) {
    if (destination.getHost() == null || destination.getHost().isEmpty()) {
      return UNKNOWN_SERVICE;
    }
    return clusterName(explicitPort(destination).orElse(ctx.listenPort()),
        destination.getSubset() == null ? "" : destination.getSubset(), ctx.resolve(destination.getHost()));
  }

  static String clusterName(int port, String subset, String host) {
    return "outbound|" + port + "|" + subset + "|" + host;
  }

  /** Forwarding: sets the action and adds the destination's header operations to {@code out}. */
  static void forward(Route.Builder out, HTTPRoute in, HeaderOperations routeHeaders, Context ctx) {
    RouteAction.Builder action = RouteAction.newBuilder();
    setTimeout(action, in.getTimeout() == null || in.getTimeout().isEmpty()
        ? Duration.ZERO : IstioDurations.parse(in.getTimeout()), ctx.proxyless());

    Optional<String> authority = routeHeaders.authority();
    if (in.getRewrite() != null) {
      RegexRewrite regex = in.getRewrite().getUriRegexRewrite();
      if (regex != null) {
        action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
            .setPattern(RegexMatcher.newBuilder().setRegex(regex.getMatch() == null ? "" : regex.getMatch()))
            .setSubstitution(regex.getRewrite() == null ? "" : regex.getRewrite()));
      } else if (in.getRewrite().getUri() != null && !in.getRewrite().getUri().isEmpty()) {
        action.setPrefixRewrite(in.getRewrite().getUri());
      }
      if (in.getRewrite().getAuthority() != null && !in.getRewrite().getAuthority().isEmpty()) {
        authority = Optional.of(in.getRewrite().getAuthority());
      }
    }
    authority.ifPresent(action::setHostRewriteLiteral);

    if (in.getMirror() != null) {
      mirrorPercent(in).ifPresent(p -> action.addRequestMirrorPolicies(mirror(cluster(in.getMirror(), ctx), p)));
    }
    if (in.getMirrors() != null) {
      for (HTTPMirrorPolicy m : in.getMirrors()) {
        if (m.getDestination() == null) {
          continue;
        }
        Optional<RuntimeFractionalPercent> percent = m.getPercentage() == null
            ? Optional.of(fraction(PerFilterConfigs.hundredths(100)))
            : positive(m.getPercentage().getValue()).map(v -> fraction(PerFilterConfigs.perMillion(m.getPercentage())));
        percent.ifPresent(p -> action.addRequestMirrorPolicies(mirror(cluster(m.getDestination(), ctx), p)));
      }
    }

    List<HTTPRouteDestination> destinations = in.getRoute() == null ? List.of() : in.getRoute();
    if (destinations.isEmpty()) {
      throw new SkippedRoute("the route has no destination, redirect or directResponse");
    }
    boolean consistentHash = false;
    if (destinations.size() == 1) {
      HTTPRouteDestination dst = destinations.get(0);
      action.setCluster(cluster(dst.getDestination(), ctx));
      if (dst.getHeaders() != null) {
        HeaderOperations ops = HeaderOperations.of(dst.getHeaders());
        out.addAllRequestHeadersToAdd(ops.requestHeadersToAdd())
            .addAllRequestHeadersToRemove(ops.requestHeadersToRemove())
            .addAllResponseHeadersToAdd(ops.responseHeadersToAdd())
            .addAllResponseHeadersToRemove(ops.responseHeadersToRemove());
        if (ops.authority().isPresent() && !action.hasHostRewriteLiteral()) {
          action.setHostRewriteLiteral(ops.authority().get());
        }
      }
      Optional<RouteAction.HashPolicy> hash = hashPolicy(dst.getDestination(), ctx);
      hash.ifPresent(action::addHashPolicy);
      consistentHash = hash.isPresent();
    } else {
      WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
      for (HTTPRouteDestination dst : destinations) {
        int weight = dst.getWeight() == null ? 0 : dst.getWeight();
        if (weight == 0) {
          continue;
        }
        WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
            .setName(cluster(dst.getDestination(), ctx))
            .setWeight(UInt32Value.of(weight));
        if (dst.getHeaders() != null) {
          HeaderOperations ops = HeaderOperations.of(dst.getHeaders());
          cw.addAllRequestHeadersToAdd(ops.requestHeadersToAdd())
              .addAllRequestHeadersToRemove(ops.requestHeadersToRemove())
              .addAllResponseHeadersToAdd(ops.responseHeadersToAdd())
              .addAllResponseHeadersToRemove(ops.responseHeadersToRemove());
          ops.authority().ifPresent(cw::setHostRewriteLiteral);
        }
        weighted.addClusters(cw);
        hashPolicy(dst.getDestination(), ctx).ifPresent(action::addHashPolicy);
      }
      if (weighted.getClustersCount() == 0) {
        throw new SkippedRoute("every destination of the route has weight 0");
      }
      action.setWeightedClusters(weighted);
    }
    RetryPolicies.convert(Optional.ofNullable(in.getRetries()), consistentHash).ifPresent(action::setRetryPolicy);
    out.setRoute(action);
  }

  /**
   * istiod's timeout: the route's, or 0s (no timeout). Sidecars also get the deprecated {@code max_grpc_timeout}
   * (so {@code grpc-timeout} headers are honoured up to it); proxyless gRPC reads {@code max_stream_duration}.
   */
  @SuppressWarnings("deprecation") // max_grpc_timeout is what istiod sends sidecars
  static void setTimeout(RouteAction.Builder action, Duration timeout, boolean proxyless) {
    com.google.protobuf.Duration proto = IstioDurations.toProto(timeout);
    action.setTimeout(proto);
    if (proxyless) {
      action.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder().setMaxStreamDuration(proto));
    } else {
      action.setMaxGrpcTimeout(proto);
    }
  }

  /** A redirect; a code other than 301, 302, 303, 307 or 308 leaves the route out. */
  static void redirect(Route.Builder out, HTTPRedirect in, int listenPort) {
    RedirectAction.Builder r = RedirectAction.newBuilder();
    if (in.getAuthority() != null) {
      r.setHostRedirect(in.getAuthority());
    }
    if (in.getUri() != null && !in.getUri().isEmpty()) {
      r.setPathRedirect(in.getUri());
    }
    String scheme = in.getScheme() == null ? "" : in.getScheme();
    if (!scheme.isEmpty()) {
      r.setSchemeRedirect(scheme);
    }
    if (in.getRedirectPort() != null) {
      int port = 0;
      if (in.getRedirectPort() instanceof HTTPRedirectDerivePort derive
          && derive.getDerivePort() == HTTPRedirectRedirectPortSelection.FROM_REQUEST_PORT) {
        port = listenPort;
      } else if (in.getRedirectPort() instanceof HTTPRedirectPort explicit && explicit.getPort() != null) {
        port = explicit.getPort().intValue();
      }
      String effectiveScheme = scheme.isEmpty() ? "http" : scheme;
      boolean defaultPort = (port == 80 && effectiveScheme.equals("http"))
          || (port == 443 && effectiveScheme.equals("https"));
      if (port != 0 && !defaultPort) {
        r.setPortRedirect(port);
      }
    }
    long code = in.getRedirectCode() == null ? 0 : in.getRedirectCode();
    RedirectAction.RedirectResponseCode responseCode = switch ((int) code) {
      case 0, 301 -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
      case 302 -> RedirectAction.RedirectResponseCode.FOUND;
      case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
      default -> throw new SkippedRoute("redirectCode " + code + " is not one of 301, 302, 303, 307, 308");
    };
    out.setRedirect(r.setResponseCode(responseCode));
  }

  static void directResponse(Route.Builder out, HTTPDirectResponse in) {
    DirectResponseAction.Builder d = DirectResponseAction.newBuilder()
        .setStatus(in.getStatus() == null ? 0 : in.getStatus().intValue());
    if (in.getBody() != null) {
      if (in.getBody().getSpecifier() instanceof HTTPBodyString s && s.getString() != null) {
        d.setBody(DataSource.newBuilder().setInlineString(s.getString()));
      } else if (in.getBody().getSpecifier() instanceof HTTPBodyBytes b && b.getBytes() != null) {
        d.setBody(DataSource.newBuilder().setInlineBytes(ByteString.copyFrom(Base64.getDecoder().decode(b.getBytes()))));
      }
    }
    out.setDirectResponse(d);
  }

  private static Optional<RouteAction.HashPolicy> hashPolicy(Destination destination, Context ctx) {
    if (destination.getHost() == null || destination.getHost().isEmpty()) {
      return Optional.empty();
    }
    OptionalInt port = explicitPort(destination).map(OptionalInt::of).orElse(OptionalInt.empty());
    return ctx.hashPolicies().forDestination(ctx.resolve(destination.getHost()), port,
        destination.getSubset() == null ? "" : destination.getSubset());
  }

  private static Optional<Integer> explicitPort(Destination destination) {
    if (destination.getPort() == null || destination.getPort().getNumber() == null) {
      return Optional.empty();
    }
    return Optional.of(destination.getPort().getNumber().intValue());
  }

  /** {@code mirrorPercentage} (per million), else the deprecated {@code mirrorPercent}, else 100%; 0 disables. */
  @SuppressWarnings("deprecation") // mirrorPercent is deprecated in the Istio API but still honoured
  private static Optional<RuntimeFractionalPercent> mirrorPercent(HTTPRoute in) {
    if (in.getMirrorPercentage() != null) {
      return positive(in.getMirrorPercentage().getValue())
          .map(v -> fraction(PerFilterConfigs.perMillion(in.getMirrorPercentage())));
    }
    if (in.getMirrorPercent() != null) {
      return in.getMirrorPercent() > 0
          ? Optional.of(fraction(PerFilterConfigs.hundredths(in.getMirrorPercent()))) : Optional.empty();
    }
    return Optional.of(fraction(PerFilterConfigs.hundredths(100)));
  }

  private static Optional<Double> positive(@Nullable Double value) {
    return value != null && value > 0 ? Optional.of(value) : Optional.empty();
  }

  private static RuntimeFractionalPercent fraction(io.envoyproxy.envoy.type.v3.FractionalPercent p) {
    return RuntimeFractionalPercent.newBuilder().setDefaultValue(p).build();
  }

  private static RouteAction.RequestMirrorPolicy mirror(String cluster, RuntimeFractionalPercent percent) {
    return RouteAction.RequestMirrorPolicy.newBuilder()
        .setCluster(cluster)
        .setRuntimeFraction(percent)
        .setTraceSampled(BoolValue.of(false))
        .build();
  }
}
