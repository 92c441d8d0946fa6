package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The actions of a route: {@code route}, {@code redirect} and {@code direct_response}. */
final class RouteActionParser {
  private RouteActionParser() {}

  @SuppressWarnings("deprecation") // the route-level cors field is still honoured
  static RouteAction.Forward forward(io.envoyproxy.envoy.config.route.v3.RouteAction a) throws XdsValidationException {
    RouteAction.ClusterSpecifier cluster = switch (a.getClusterSpecifierCase()) {
      case CLUSTER -> {
        Validation.check(!a.getCluster().isEmpty(), "cluster", "must not be empty");
        yield new RouteAction.ClusterSpecifier.Single(a.getCluster());
      }
      case CLUSTER_HEADER -> {
        Validation.check(!a.getClusterHeader().isEmpty(), "cluster_header", "must not be empty");
        yield new RouteAction.ClusterSpecifier.Header(a.getClusterHeader());
      }
      case WEIGHTED_CLUSTERS -> Validation.at("weighted_clusters", () -> weighted(a.getWeightedClusters()));
      case CLUSTER_SPECIFIER_PLUGIN -> throw new XdsValidationException("cluster_specifier_plugin", "not supported");
      case INLINE_CLUSTER_SPECIFIER_PLUGIN ->
          throw new XdsValidationException("inline_cluster_specifier_plugin", "not supported");
      case CLUSTERSPECIFIER_NOT_SET -> throw XdsValidationException.of(
          "one of cluster, cluster_header or weighted_clusters must be set");
    };

    Validation.check(!a.hasMetadataMatch(), "metadata_match", "not supported");
    Validation.check(!a.hasPathRewritePolicy(), "path_rewrite_policy",
        "not supported (extension '" + a.getPathRewritePolicy().getName() + "')");
    Validation.check(a.getPrefixRewrite().isEmpty() || !a.hasRegexRewrite(), "regex_rewrite",
        "only one of prefix_rewrite and regex_rewrite may be set");
    Optional<RouteAction.PathRewrite> pathRewrite = Optional.empty();
    if (!a.getPrefixRewrite().isEmpty()) {
      pathRewrite = Optional.of(new RouteAction.PathRewrite.Prefix(a.getPrefixRewrite()));
    } else if (a.hasRegexRewrite()) {
      pathRewrite = Optional.of(new RouteAction.PathRewrite.Regex(
          Validation.at("regex_rewrite", () -> RoutePolicies.regexRewrite(a.getRegexRewrite()))));
    }

    Optional<RetryPolicy> retry = a.hasRetryPolicy()
        ? Optional.of(Validation.at("retry_policy", () -> RetryPolicyParser.retryPolicy(a.getRetryPolicy())))
        : Optional.empty();
    Optional<CorsPolicy> cors = a.hasCors()
        ? Optional.of(Validation.at("cors", () -> CorsParser.cors(a.getCors())))
        : Optional.empty();
    Optional<RouteAction.MaxStreamDuration> maxStreamDuration = a.hasMaxStreamDuration()
        ? Optional.of(Validation.at("max_stream_duration", () -> maxStreamDuration(a.getMaxStreamDuration())))
        : Optional.empty();

    return new RouteAction.Forward(
        cluster,
        optionalDuration("timeout", a.hasTimeout(), a.getTimeout()),
        optionalDuration("idle_timeout", a.hasIdleTimeout(), a.getIdleTimeout()),
        retry,
        RoutePolicies.hashPolicies(a.getHashPolicyList()),
        RoutePolicies.mirrors(a.getRequestMirrorPoliciesList()),
        pathRewrite,
        hostRewrite(a),
        maxStreamDuration,
        cors);
  }

  @SuppressWarnings("deprecation") // total_weight is deprecated but still checked when sent
  private static RouteAction.ClusterSpecifier.Weighted weighted(WeightedCluster w) throws XdsValidationException {
    Validation.check(w.getClustersCount() > 0, "clusters", "must not be empty");
    List<RouteAction.WeightedCluster> clusters = new ArrayList<>(w.getClustersCount());
    long total = 0;
    for (int i = 0; i < w.getClustersCount(); i++) {
      WeightedCluster.ClusterWeight c = w.getClusters(i);
      String segment = c.getName().isEmpty() ? Validation.indexed("clusters", i) : Validation.named("clusters", c.getName());
      RouteAction.WeightedCluster cluster = Validation.at(segment, () -> clusterWeight(c));
      total += cluster.weight();
      clusters.add(cluster);
    }
    Validation.check(total > 0, "", "total weight must be > 0, was " + total);
    Validation.check(total <= RouteAction.WeightedCluster.MAX_WEIGHT, "",
        "total weight must be <= " + RouteAction.WeightedCluster.MAX_WEIGHT + ", was " + total);
    if (w.hasTotalWeight() && w.getTotalWeight().getValue() != 0) {
      long declared = Integer.toUnsignedLong(w.getTotalWeight().getValue());
      Validation.check(declared == total, "total_weight",
          "must equal the sum of the cluster weights (" + total + "), was " + declared);
    }
    return new RouteAction.ClusterSpecifier.Weighted(clusters);
  }

  private static RouteAction.WeightedCluster clusterWeight(WeightedCluster.ClusterWeight c)
      throws XdsValidationException {
    Validation.check(c.getClusterHeader().isEmpty(), "cluster_header", "not supported in weighted clusters");
    Validation.check(!c.getName().isEmpty(), "name", "must not be empty");
    Validation.check(!c.hasMetadataMatch(), "metadata_match", "not supported");
    return new RouteAction.WeightedCluster(
        c.getName(),
        c.hasWeight() ? Integer.toUnsignedLong(c.getWeight().getValue()) : 0,
        HeaderMutations.request(c.getRequestHeadersToAddList(), c.getRequestHeadersToRemoveList()),
        HeaderMutations.response(c.getResponseHeadersToAddList(), c.getResponseHeadersToRemoveList()),
        FilterOverrides.map(c.getTypedPerFilterConfigMap()),
        c.getHostRewriteLiteral().isEmpty() ? Optional.empty() : Optional.of(c.getHostRewriteLiteral()));
  }

  private static Optional<RouteAction.HostRewrite> hostRewrite(io.envoyproxy.envoy.config.route.v3.RouteAction a)
      throws XdsValidationException {
    return switch (a.getHostRewriteSpecifierCase()) {
      case HOST_REWRITE_LITERAL -> Optional.of(new RouteAction.HostRewrite.Literal(a.getHostRewriteLiteral()));
      case AUTO_HOST_REWRITE -> a.getAutoHostRewrite().getValue()
          ? Optional.of(new RouteAction.HostRewrite.Auto()) : Optional.empty();
      case HOST_REWRITE_HEADER -> {
        Validation.check(!a.getHostRewriteHeader().isEmpty(), "host_rewrite_header", "must not be empty");
        yield Optional.of(new RouteAction.HostRewrite.Header(a.getHostRewriteHeader()));
      }
      case HOST_REWRITE_PATH_REGEX -> Optional.of(new RouteAction.HostRewrite.PathRegex(
          Validation.at("host_rewrite_path_regex", () -> RoutePolicies.regexRewrite(a.getHostRewritePathRegex()))));
      case HOSTREWRITESPECIFIER_NOT_SET -> Optional.empty();
    };
  }

  private static RouteAction.MaxStreamDuration maxStreamDuration(
      io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration m) throws XdsValidationException {
    return new RouteAction.MaxStreamDuration(
        optionalDuration("max_stream_duration", m.hasMaxStreamDuration(), m.getMaxStreamDuration()),
        optionalDuration("grpc_timeout_header_max", m.hasGrpcTimeoutHeaderMax(), m.getGrpcTimeoutHeaderMax()),
        optionalDuration("grpc_timeout_header_offset", m.hasGrpcTimeoutHeaderOffset(),
            m.getGrpcTimeoutHeaderOffset()));
  }

  static RouteAction.Redirect redirect(RedirectAction r) throws XdsValidationException {
    Optional<String> scheme = switch (r.getSchemeRewriteSpecifierCase()) {
      case HTTPS_REDIRECT -> r.getHttpsRedirect() ? Optional.of("https") : Optional.empty();
      case SCHEME_REDIRECT -> r.getSchemeRedirect().isEmpty() ? Optional.empty() : Optional.of(r.getSchemeRedirect());
      case SCHEMEREWRITESPECIFIER_NOT_SET -> Optional.empty();
    };
    Validation.check(r.getPortRedirect() >= 0 && r.getPortRedirect() <= 65535, "port_redirect",
        "must be <= 65535, was " + Integer.toUnsignedString(r.getPortRedirect()));
    Optional<RouteAction.PathRedirect> path = switch (r.getPathRewriteSpecifierCase()) {
      case PATH_REDIRECT -> Optional.of(new RouteAction.PathRedirect.Path(r.getPathRedirect()));
      case PREFIX_REWRITE -> Optional.of(new RouteAction.PathRedirect.Prefix(r.getPrefixRewrite()));
      case REGEX_REWRITE -> Optional.of(new RouteAction.PathRedirect.Regex(
          Validation.at("regex_rewrite", () -> RoutePolicies.regexRewrite(r.getRegexRewrite()))));
      case PATHREWRITESPECIFIER_NOT_SET -> Optional.empty();
    };
    int code = switch (r.getResponseCode()) {
      case MOVED_PERMANENTLY -> 301;
      case FOUND -> 302;
      case SEE_OTHER -> 303;
      case TEMPORARY_REDIRECT -> 307;
      case PERMANENT_REDIRECT -> 308;
      case UNRECOGNIZED -> throw new XdsValidationException("response_code",
          "unknown value " + r.getResponseCodeValue() + "; one of MOVED_PERMANENTLY (301), FOUND (302), SEE_OTHER "
              + "(303), TEMPORARY_REDIRECT (307) or PERMANENT_REDIRECT (308) is required");
    };
    return new RouteAction.Redirect(
        scheme,
        r.getHostRedirect().isEmpty() ? Optional.empty() : Optional.of(r.getHostRedirect()),
        r.getPortRedirect() == 0 ? Optional.empty() : Optional.of(r.getPortRedirect()),
        path,
        code,
        r.getStripQuery());
  }

  static RouteAction.DirectResponse directResponse(DirectResponseAction d, long maxBodyBytes)
      throws XdsValidationException {
    int status = d.getStatus();
    Validation.check(status >= 200 && status < 600, "status",
        "must be in [200, 600), was " + Integer.toUnsignedString(status));
    Optional<String> body = Optional.empty();
    if (d.hasBody()) {
      DataSource source = d.getBody();
      byte[] bytes = switch (source.getSpecifierCase()) {
        case INLINE_STRING -> source.getInlineString().getBytes(StandardCharsets.UTF_8);
        case INLINE_BYTES -> source.getInlineBytes().toByteArray();
        case FILENAME -> throw new XdsValidationException("body.filename", "not supported; inline the body");
        case ENVIRONMENT_VARIABLE ->
            throw new XdsValidationException("body.environment_variable", "not supported; inline the body");
        case SPECIFIER_NOT_SET -> throw new XdsValidationException("body", "one of inline_string or inline_bytes must "
            + "be set");
      };
      Validation.check(bytes.length <= maxBodyBytes, "body",
          "is " + bytes.length + " bytes, more than max_direct_response_body_size_bytes (" + maxBodyBytes + ")");
      body = Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }
    return new RouteAction.DirectResponse(status, body);
  }

  private static Optional<Duration> optionalDuration(String field, boolean present, com.google.protobuf.Duration d)
      throws XdsValidationException {
    return present ? Optional.of(Validation.at(field, () -> CommonProtos.duration(d))) : Optional.empty();
  }
}
