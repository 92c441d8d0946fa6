package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.CorsPolicy;
import dev.inboard.mesh.config.RetryPolicy;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.VirtualHostConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code RouteConfiguration} to {@link RouteConfig}: RDS resources and the inline {@code route_config} of a
 * connection manager share this conversion.
 */
final class RouteConfigurations {
  /** Envoy's default for {@code max_direct_response_body_size_bytes}. */
  static final long DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES = 4096;

  private RouteConfigurations() {}

  /** Validates and converts; errors carry a path relative to the route configuration. */
  static RouteConfig routeConfig(RouteConfiguration rc) throws XdsValidationException {
    Validation.check(!rc.hasVhds(), "vhds", "not supported");
    long maxBodyBytes = rc.hasMaxDirectResponseBodySizeBytes()
        ? Integer.toUnsignedLong(rc.getMaxDirectResponseBodySizeBytes().getValue())
        : DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES;

    List<VirtualHostConfig> virtualHosts = new ArrayList<>(rc.getVirtualHostsCount());
    Map<String, String> domainOwners = new HashMap<>();
    for (int i = 0; i < rc.getVirtualHostsCount(); i++) {
      VirtualHost vh = rc.getVirtualHosts(i);
      String segment = vh.getName().isEmpty()
          ? Validation.indexed("virtual_hosts", i) : Validation.named("virtual_hosts", vh.getName());
      virtualHosts.add(Validation.at(segment, () -> virtualHost(vh, maxBodyBytes, domainOwners)));
    }
    return new RouteConfig(
        rc.getName(),
        virtualHosts,
        HeaderMutations.request(rc.getRequestHeadersToAddList(), rc.getRequestHeadersToRemoveList()),
        HeaderMutations.response(rc.getResponseHeadersToAddList(), rc.getResponseHeadersToRemoveList()),
        FilterOverrides.map(rc.getTypedPerFilterConfigMap()),
        RoutePolicies.mirrors(rc.getRequestMirrorPoliciesList()),
        rc.getIgnorePortInHostMatching(),
        rc.getMostSpecificHeaderMutationsWins());
  }

  @SuppressWarnings("deprecation") // the virtual host cors field is still honoured
  private static VirtualHostConfig virtualHost(VirtualHost vh, long maxBodyBytes, Map<String, String> domainOwners)
      throws XdsValidationException {
    Validation.check(!vh.hasMatcher(), "matcher", "not supported; use routes");
    Validation.check(vh.getRequireTls() == VirtualHost.TlsRequirementType.NONE, "require_tls",
        "not supported, was " + vh.getRequireTls());
    Validation.check(vh.getDomainsCount() > 0, "domains", "must not be empty");
    String label = vh.getName().isEmpty() ? "(unnamed)" : vh.getName();
    for (int i = 0; i < vh.getDomainsCount(); i++) {
      String domain = vh.getDomains(i);
      String path = Validation.indexed("domains", i);
      checkDomain(path, domain);
      String previous = domainOwners.putIfAbsent(domain.toLowerCase(Locale.ROOT), label);
      if (previous != null) {
        throw new XdsValidationException(path, duplicate(domain, previous, label));
      }
    }

    List<RouteRule> routes = new ArrayList<>(vh.getRoutesCount());
    for (int i = 0; i < vh.getRoutesCount(); i++) {
      Route r = vh.getRoutes(i);
      routes.add(Validation.at(Validation.indexed("routes", i), () -> route(r, maxBodyBytes)));
    }
    Optional<RetryPolicy> retry = vh.hasRetryPolicy()
        ? Optional.of(Validation.at("retry_policy", () -> RetryPolicyParser.retryPolicy(vh.getRetryPolicy())))
        : Optional.empty();
    Optional<CorsPolicy> cors = vh.hasCors()
        ? Optional.of(Validation.at("cors", () -> CorsParser.cors(vh.getCors())))
        : Optional.empty();
    return new VirtualHostConfig(
        vh.getName(),
        vh.getDomainsList(),
        routes,
        retry,
        cors,
        HeaderMutations.request(vh.getRequestHeadersToAddList(), vh.getRequestHeadersToRemoveList()),
        HeaderMutations.response(vh.getResponseHeadersToAddList(), vh.getResponseHeadersToRemoveList()),
        FilterOverrides.map(vh.getTypedPerFilterConfigMap()),
        vh.getIncludeRequestAttemptCount(),
        vh.getIncludeAttemptCountInResponse(),
        RoutePolicies.mirrors(vh.getRequestMirrorPoliciesList()),
        CommonProtos.metadata(vh.getMetadata()));
  }

  private static String duplicate(String domain, String previousOwner, String owner) {
    return previousOwner.equals(owner)
        ? "domain '" + domain + "' is listed twice in virtual host '" + owner + "'"
        : "domain '" + domain + "' appears in virtual hosts '" + previousOwner + "' and '" + owner
            + "'; each domain must belong to one virtual host";
  }

  /** {@code *} alone, or a name with at most one {@code *}, at its start or its end. */
  private static void checkDomain(String path, String domain) throws XdsValidationException {
    Validation.check(!domain.isEmpty(), path, "must not be empty");
    if (domain.equals("*")) {
      return;
    }
    int first = domain.indexOf('*');
    boolean valid = first < 0
        || (first == domain.lastIndexOf('*') && (first == 0 || first == domain.length() - 1));
    Validation.check(valid, path, "invalid wildcard domain '" + domain
        + "': only '*' alone or a single '*' at the start or the end is allowed");
  }

  private static RouteRule route(Route r, long maxBodyBytes) throws XdsValidationException {
    Validation.check(r.hasMatch(), "match", "must be set");
    var match = Validation.at("match", () -> RouteMatchParser.match(r.getMatch()));
    RouteAction action = switch (r.getActionCase()) {
      case ROUTE -> Validation.at("route", () -> RouteActionParser.forward(r.getRoute()));
      case REDIRECT -> Validation.at("redirect", () -> RouteActionParser.redirect(r.getRedirect()));
      case DIRECT_RESPONSE ->
          Validation.at("direct_response", () -> RouteActionParser.directResponse(r.getDirectResponse(), maxBodyBytes));
      case NON_FORWARDING_ACTION -> new RouteAction.NonForwarding();
      case FILTER_ACTION -> throw new XdsValidationException("filter_action", "not supported");
      case ACTION_NOT_SET -> throw XdsValidationException.of(
          "the route has no action: one of route, redirect, direct_response or non_forwarding_action must be set");
    };
    Optional<String> decorator = Optional.empty();
    if (r.hasDecorator()) {
      Validation.check(!r.getDecorator().getOperation().isEmpty(), "decorator.operation", "must not be empty");
      decorator = Optional.of(r.getDecorator().getOperation());
    }
    return new RouteRule(
        r.getName(),
        match,
        action,
        decorator,
        HeaderMutations.request(r.getRequestHeadersToAddList(), r.getRequestHeadersToRemoveList()),
        HeaderMutations.response(r.getResponseHeadersToAddList(), r.getResponseHeadersToRemoveList()),
        FilterOverrides.map(r.getTypedPerFilterConfigMap()),
        CommonProtos.metadata(r.getMetadata()));
  }
}
