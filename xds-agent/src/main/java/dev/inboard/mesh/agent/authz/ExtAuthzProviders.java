package dev.inboard.mesh.agent.authz;

import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationRequest;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.AuthorizationResponse;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.BufferSettings;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.HttpService;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The ext_authz filter configs of the mesh's extension providers. A provider is checked (port, service in the
 * registry, statusOnError, pathPrefix, header patterns) and either yields its configs or the list of its problems.
 */
final class ExtAuthzProviders {
  static final String MATCH_PREFIX = "istio-ext-authz";
  static final String SHADOW_EFFECTIVE_POLICY_ID = "istio_ext_authz_shadow_effective_policy_id";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

  /** A usable provider: the HTTP filter config and, for gRPC providers only, the network filter config. */
  record Configs(ExtAuthz http,
      io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.@Nullable ExtAuthz tcp) {}

  private record Entry(@Nullable Configs configs, List<String> errors) {}

  private final Map<String, Entry> byName = new HashMap<>();

  ExtAuthzProviders(List<ExtensionProvider> providers, ServiceIndex services) {
    for (int i = 0; i < providers.size(); i++) {
      ExtensionProvider provider = providers.get(i);
      List<String> errors = new ArrayList<>();
      if (provider.name().isEmpty()) {
        errors.add("name must not be empty (extensionProviders[" + i + "])");
      } else if (byName.containsKey(provider.name())) {
        errors.add("name must be unique, \"" + provider.name() + "\" is defined more than once");
      }
      Configs configs = provider instanceof ExtensionProvider.EnvoyExtAuthzGrpc grpc
          ? grpc(grpc, services, errors)
          : http((ExtensionProvider.EnvoyExtAuthzHttp) provider, services, errors);
      byName.put(provider.name(), errors.isEmpty() ? new Entry(configs, List.of()) : new Entry(null, errors));
    }
  }

  /**
   * The configs for {@code provider}, their ext_authz filters enabled only for requests an RBAC policy of that
   * provider matched.
   */
  Configs lookup(String provider, String rbacFilterName, String networkRbacFilterName) throws RuleException {
    Entry entry = byName.get(provider);
    if (entry == null) {
      throw new RuleException("extension provider \"" + provider + "\" is not defined; ext_authz providers are "
          + new TreeSet<>(byName.keySet()));
    }
    if (entry.configs() == null) {
      throw new RuleException("extension provider \"" + provider + "\" is invalid: " + String.join("; ", entry.errors()));
    }
    Configs c = entry.configs();
    ExtAuthz http = c.http().toBuilder().setFilterEnabledMetadata(enabledFor(rbacFilterName, provider)).build();
    var tcp = c.tcp() == null ? null
        : c.tcp().toBuilder().setFilterEnabledMetadata(enabledFor(networkRbacFilterName, provider)).build();
    return new Configs(http, tcp);
  }

  /** Prefix of the RBAC policy ids (and of the shadow effective policy id) belonging to {@code provider}. */
  static String policyPrefix(String provider) {
    return provider.isEmpty() ? MATCH_PREFIX : MATCH_PREFIX + "-" + provider;
  }

  private static MetadataMatcher enabledFor(String rbacFilterName, String provider) {
    return RbacMatchers.metadata(rbacFilterName, List.of(SHADOW_EFFECTIVE_POLICY_ID),
        ValueMatcher.newBuilder().setStringMatch(StringMatcher.newBuilder().setPrefix(policyPrefix(provider))).build());
  }

  private static @Nullable Configs grpc(ExtensionProvider.EnvoyExtAuthzGrpc p, ServiceIndex services,
      List<String> errors) {
    checkPort(p.port(), errors);
    String[] hostAndCluster = lookupCluster(p.service(), p.port(), services, errors);
    HttpStatus status = statusOnError(p.statusOnError(), errors);
    if (!errors.isEmpty() || hostAndCluster == null) {
      return null;
    }
    // The cluster name has '|', which is not valid in an authority; the service hostname is.
    GrpcService grpc = GrpcService.newBuilder()
        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(hostAndCluster[1]).setAuthority(hostAndCluster[0]))
        .setTimeout(duration(p.timeout())).build();
    ExtAuthz.Builder http = ExtAuthz.newBuilder().setFailureModeAllow(p.failOpen()).setGrpcService(grpc)
        .setTransportApiVersion(ApiVersion.V3);
    if (status != null) {
      http.setStatusOnError(status);
    }
    p.includeRequestBodyInCheck().ifPresent(body -> http.setWithRequestBody(buffer(body)));
    var tcp = io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.newBuilder()
        .setStatPrefix(RbacFilterBuilder.TCP_STAT_PREFIX).setFailureModeAllow(p.failOpen())
        .setTransportApiVersion(ApiVersion.V3).setGrpcService(grpc).build();
    return new Configs(http.build(), tcp);
  }

  private static @Nullable Configs http(ExtensionProvider.EnvoyExtAuthzHttp p, ServiceIndex services,
      List<String> errors) {
    checkPort(p.port(), errors);
    String[] hostAndCluster = lookupCluster(p.service(), p.port(), services, errors);
    HttpStatus status = statusOnError(p.statusOnError(), errors);
    if (!p.pathPrefix().isEmpty() && !p.pathPrefix().startsWith("/")) {
      errors.add("pathPrefix must begin with \"/\", was \"" + p.pathPrefix() + "\"");
    }
    checkNoLoneWildcard("includeRequestHeadersInCheck", p.includeRequestHeadersInCheck(), errors);
    checkNoLoneWildcard("includeHeadersInCheck", p.includeHeadersInCheck(), errors);
    checkNoLoneWildcard("headersToDownstreamOnDeny", p.headersToDownstreamOnDeny(), errors);
    checkNoLoneWildcard("headersToDownstreamOnAllow", p.headersToDownstreamOnAllow(), errors);
    checkNoLoneWildcard("headersToUpstreamOnAllow", p.headersToUpstreamOnAllow(), errors);
    if (!errors.isEmpty() || hostAndCluster == null) {
      return null;
    }
    HttpService.Builder service = HttpService.newBuilder().setPathPrefix(p.pathPrefix())
        // The URI is required by Envoy but unused: requests go to the cluster.
        .setServerUri(HttpUri.newBuilder().setUri("http://" + hostAndCluster[0]).setCluster(hostAndCluster[1])
            .setTimeout(duration(p.timeout())));
    if (!p.additionalHeadersSorted().isEmpty()) {
      AuthorizationRequest.Builder request = AuthorizationRequest.newBuilder();
      p.additionalHeadersSorted().forEach((k, v) -> request.addHeadersToAdd(HeaderValue.newBuilder().setKey(k).setValue(v)));
      service.setAuthorizationRequest(request);
    }
    if (!p.headersToUpstreamOnAllow().isEmpty() || !p.headersToDownstreamOnDeny().isEmpty()
        || !p.headersToDownstreamOnAllow().isEmpty()) {
      AuthorizationResponse.Builder response = AuthorizationResponse.newBuilder();
      headers(p.headersToUpstreamOnAllow()).ifPresent(response::setAllowedUpstreamHeaders);
      headers(p.headersToDownstreamOnDeny()).ifPresent(response::setAllowedClientHeaders);
      headers(p.headersToDownstreamOnAllow()).ifPresent(response::setAllowedClientHeadersOnSuccess);
      service.setAuthorizationResponse(response);
    }
    ExtAuthz.Builder http = ExtAuthz.newBuilder().setFailureModeAllow(p.failOpen()).setHttpService(service)
        .setTransportApiVersion(ApiVersion.V3);
    if (status != null) {
      http.setStatusOnError(status);
    }
    headers(p.includeRequestHeadersInCheck()).or(() -> headers(p.includeHeadersInCheck()))
        .ifPresent(http::setAllowedHeaders);
    p.includeRequestBodyInCheck().ifPresent(body -> http.setWithRequestBody(buffer(body)));
    return new Configs(http.build(), null);
  }

  private static void checkPort(long port, List<String> errors) {
    if (port < 1 || port > 65535) {
      errors.add("port must be in [1, 65535], was " + port);
    }
  }

  /**
   * {@code <namespace>/<hostname>} must be in the registry in that namespace; a bare hostname must be in exactly one
   * namespace. Returns {hostname, cluster}.
   */
  private static String @Nullable [] lookupCluster(String service, long port, ServiceIndex services,
      List<String> errors) {
    if (service.isEmpty()) {
      errors.add("service must not be empty");
      return null;
    }
    String[] parts = service.split("/", -1);
    if (parts.length == 2) {
      if (services.namespacesOf(parts[1]).contains(parts[0])) {
        return new String[] {parts[1], cluster(parts[1], port)};
      }
    } else {
      Set<String> namespaces = services.namespacesOf(service);
      if (namespaces.size() == 1) {
        return new String[] {service, cluster(service, port)};
      }
      if (namespaces.size() > 1) {
        errors.add("service " + service + " is defined in namespaces " + namespaces
            + "; name one as <namespace>/<hostname>");
        return null;
      }
    }
    errors.add("service " + service + " (port " + port + ") is not in the service registry");
    return null;
  }

  private static String cluster(String hostname, long port) {
    return "outbound|" + port + "||" + hostname;
  }

  private static @Nullable HttpStatus statusOnError(String status, List<String> errors) {
    if (status.isEmpty()) {
      return null;
    }
    int code;
    try {
      code = Integer.parseInt(status);
    } catch (NumberFormatException e) {
      errors.add("statusOnError must be a number, was \"" + status + "\"");
      return null;
    }
    StatusCode known = StatusCode.forNumber(code);
    if (known == null) {
      errors.add("statusOnError " + status + " is not an HTTP status Envoy supports");
      return null;
    }
    return HttpStatus.newBuilder().setCode(known).build();
  }

  private static void checkNoLoneWildcard(String field, List<String> headers, List<String> errors) {
    if (headers.contains("*")) {
      errors.add(field + ": a single \"*\" is not supported, use a prefix (\"x-*\") or suffix (\"*-x\") pattern");
    }
  }

  /** Header name patterns, matched ignoring case: {@code *x} suffix, {@code x*} prefix, else exact. */
  private static Optional<ListStringMatcher> headers(List<String> names) {
    if (names.isEmpty()) {
      return Optional.empty();
    }
    ListStringMatcher.Builder out = ListStringMatcher.newBuilder();
    for (String name : names) {
      if (name.startsWith("*")) {
        out.addPatterns(RbacMatchers.suffix(name.substring(1), true));
      } else if (name.endsWith("*")) {
        out.addPatterns(RbacMatchers.prefix(name.substring(0, name.length() - 1), true));
      } else {
        out.addPatterns(RbacMatchers.exact(name, true));
      }
    }
    return Optional.of(out.build());
  }

  private static BufferSettings buffer(ExtensionProvider.RequestBody body) {
    return BufferSettings.newBuilder().setMaxRequestBytes(body.maxRequestBytes())
        .setAllowPartialMessage(body.allowPartialMessage()).setPackAsBytes(body.packAsBytes()).build();
  }

  private static com.google.protobuf.Duration duration(Optional<Duration> timeout) {
    Duration d = timeout.orElse(DEFAULT_TIMEOUT);
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
