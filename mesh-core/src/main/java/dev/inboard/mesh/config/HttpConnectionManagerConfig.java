package dev.inboard.mesh.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy's {@code HttpConnectionManager} as istiod configures it for sidecars (a network filter of a filter chain)
 * and for its {@code grpc} generator (a client listener's {@code api_listener}, or the server listener's single
 * filter chain). Envoy's defaults are applied.
 *
 * @param statPrefix may be empty (the grpc generator sets none)
 * @param httpFilters in order, the router last
 * @param streamIdleTimeout 5 minutes when unset; zero disables it
 * @param requestTimeout zero (the default) disables it
 * @param maxStreamDuration {@code common_http_protocol_options.max_stream_duration}; absent: no limit
 * @param normalizePath RFC 3986 normalisation of the path before filters and routing; false when unset
 * @param mergeSlashes merge adjacent slashes in the path
 * @param xffNumTrustedHops trusted hops of {@code x-forwarded-for} when picking the client address
 * @param tracing absent: the connection manager does not trace
 * @param generateRequestId create {@code x-request-id} when absent; true when unset
 * @param serverName the {@code server} response header; {@code envoy} when unset
 */
public record HttpConnectionManagerConfig(
    String statPrefix,
    RouteSource routeSource,
    List<HttpFilterConfig> httpFilters,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Optional<Duration> maxStreamDuration,
    boolean normalizePath,
    boolean mergeSlashes,
    PathWithEscapedSlashesAction pathWithEscapedSlashesAction,
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    ForwardClientCertDetails forwardClientCertDetails,
    ClientCertDetails setCurrentClientCertDetails,
    Optional<Tracing> tracing,
    boolean generateRequestId,
    boolean preserveExternalRequestId,
    List<UpgradeConfig> upgradeConfigs,
    String serverName) {

  public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final String DEFAULT_SERVER_NAME = "envoy";

  public HttpConnectionManagerConfig {
    Objects.requireNonNull(statPrefix, "statPrefix");
    Objects.requireNonNull(routeSource, "routeSource");
    httpFilters = List.copyOf(httpFilters);
    Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxStreamDuration, "maxStreamDuration");
    Objects.requireNonNull(pathWithEscapedSlashesAction, "pathWithEscapedSlashesAction");
    Objects.requireNonNull(forwardClientCertDetails, "forwardClientCertDetails");
    Objects.requireNonNull(setCurrentClientCertDetails, "setCurrentClientCertDetails");
    Objects.requireNonNull(tracing, "tracing");
    upgradeConfigs = List.copyOf(upgradeConfigs);
    Objects.requireNonNull(serverName, "serverName");
    if (httpFilters.isEmpty() || !(httpFilters.get(httpFilters.size() - 1) instanceof HttpFilterConfig.Router)) {
      throw new IllegalArgumentException("the last http filter must be the router");
    }
    if (xffNumTrustedHops < 0) {
      throw new IllegalArgumentException("xffNumTrustedHops must not be negative, was " + xffNumTrustedHops);
    }
  }

  /** The RDS name this connection manager subscribes to, if it uses RDS. */
  public Optional<String> rdsName() {
    return routeSource instanceof RouteSource.Rds rds ? Optional.of(rds.routeConfigName()) : Optional.empty();
  }

  /** Where the route table comes from (scoped routes are not supported). */
  public sealed interface RouteSource {

    /** Subscribed over RDS (on the ADS stream). */
    record Rds(String routeConfigName) implements RouteSource {
      public Rds {
        Objects.requireNonNull(routeConfigName, "routeConfigName");
        if (routeConfigName.isEmpty()) {
          throw new IllegalArgumentException("route config name must not be empty");
        }
      }
    }

    /** Inline in the listener ({@code route_config}). */
    record Inline(RouteConfig routeConfig) implements RouteSource {
      public Inline {
        Objects.requireNonNull(routeConfig, "routeConfig");
      }
    }
  }

  /**
   * Envoy's tracing settings for this connection manager. Sampling defaults to 100% each; Istio sets
   * {@code random_sampling} from its trace sampling percentage (1% by default).
   *
   * @param maxPathTagLength longest {@code http.url} tag; 256 when unset
   * @param spawnUpstreamSpan absent: the router's {@code start_child_span} decides
   * @param providerName the tracer extension, e.g. {@code envoy.tracers.zipkin}; absent: the bootstrap's tracer
   */
  public record Tracing(
      Fraction clientSampling,
      Fraction randomSampling,
      Fraction overallSampling,
      boolean verbose,
      int maxPathTagLength,
      List<CustomTag> customTags,
      Optional<Boolean> spawnUpstreamSpan,
      Optional<String> providerName) {

    public static final int DEFAULT_MAX_PATH_TAG_LENGTH = 256;

    public Tracing {
      Objects.requireNonNull(clientSampling, "clientSampling");
      Objects.requireNonNull(randomSampling, "randomSampling");
      Objects.requireNonNull(overallSampling, "overallSampling");
      customTags = List.copyOf(customTags);
      Objects.requireNonNull(spawnUpstreamSpan, "spawnUpstreamSpan");
      Objects.requireNonNull(providerName, "providerName");
    }

    public List<String> customTagNames() {
      return customTags.stream().map(CustomTag::tag).toList();
    }
  }

  /** A custom span tag ({@code type.tracing.v3.CustomTag}). */
  public sealed interface CustomTag {
    String tag();

    /** A fixed value, e.g. {@code istio.canonical_revision: v1}. */
    record Literal(String tag, String value) implements CustomTag {
      public Literal {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(value, "value");
      }
    }

    /** An environment variable of the process, or a default. */
    record Environment(String tag, String name, String defaultValue) implements CustomTag {
      public Environment {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
      }
    }

    /** A request header (lower case), or a default. */
    record RequestHeader(String tag, String headerName, String defaultValue) implements CustomTag {
      public RequestHeader {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(headerName, "headerName");
        Objects.requireNonNull(defaultValue, "defaultValue");
        headerName = headerName.toLowerCase(Locale.ROOT);
      }
    }

    /** A metadata value (Istio's dry-run RBAC tags); read by the tracing stage from the metadata it knows. */
    record MetadataValue(String tag, String kind, String filter, List<String> path, String defaultValue)
        implements CustomTag {
      public MetadataValue {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(filter, "filter");
        path = List.copyOf(path);
        Objects.requireNonNull(defaultValue, "defaultValue");
      }
    }
  }

  /** An HTTP upgrade the connection manager lets through, e.g. {@code websocket}. */
  public record UpgradeConfig(String upgradeType, boolean enabled) {
    public UpgradeConfig {
      Objects.requireNonNull(upgradeType, "upgradeType");
      if (upgradeType.isEmpty()) {
        throw new IllegalArgumentException("upgrade type must not be empty");
      }
    }
  }

  /** Envoy's {@code PathWithEscapedSlashesAction}, with the implementation default resolved to keep-unchanged. */
  public enum PathWithEscapedSlashesAction {
    KEEP_UNCHANGED,
    REJECT_REQUEST,
    UNESCAPE_AND_REDIRECT,
    UNESCAPE_AND_FORWARD
  }

  /** Envoy's handling of {@code x-forwarded-client-cert}. */
  public enum ForwardClientCertDetails {
    SANITIZE,
    FORWARD_ONLY,
    APPEND_FORWARD,
    SANITIZE_SET,
    ALWAYS_FORWARD_ONLY
  }

  /**
   * Which client certificate fields go into {@code x-forwarded-client-cert} (Istio's inbound listeners: subject,
   * DNS and URI).
   */
  public record ClientCertDetails(boolean subject, boolean cert, boolean chain, boolean dns, boolean uri) {
    public static final ClientCertDetails NONE = new ClientCertDetails(false, false, false, false, false);
  }
}
