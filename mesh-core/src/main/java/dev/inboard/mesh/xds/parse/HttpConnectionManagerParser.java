package dev.inboard.mesh.xds.parse;

import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.CustomTag;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag.Metadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code HttpConnectionManager} to {@link HttpConnectionManagerConfig}, with Envoy's defaults. Route tables come
 * over ADS (RDS) or inline; scoped routes are refused. An empty {@code stat_prefix} is accepted because the grpc
 * generator sends none.
 */
final class HttpConnectionManagerParser {
  static final String TYPE_URL = TypedConfigs.typeUrl(HttpConnectionManager.getDescriptor());

  private HttpConnectionManagerParser() {}

  static HttpConnectionManagerConfig hcm(HttpConnectionManager h) throws XdsValidationException {
    HttpConnectionManagerConfig.RouteSource routes = routeSource(h);
    var filters = HttpFilterParser.httpFilters(h.getHttpFiltersList());
    Duration streamIdle = h.hasStreamIdleTimeout()
        ? Validation.at("stream_idle_timeout", () -> CommonProtos.duration(h.getStreamIdleTimeout()))
        : HttpConnectionManagerConfig.DEFAULT_STREAM_IDLE_TIMEOUT;
    Duration requestTimeout = h.hasRequestTimeout()
        ? Validation.at("request_timeout", () -> CommonProtos.duration(h.getRequestTimeout()))
        : Duration.ZERO;
    Optional<Duration> maxStreamDuration = Optional.empty();
    if (h.getCommonHttpProtocolOptions().hasMaxStreamDuration()) {
      maxStreamDuration = Optional.of(Validation.at("common_http_protocol_options.max_stream_duration",
          () -> CommonProtos.duration(h.getCommonHttpProtocolOptions().getMaxStreamDuration())));
    }
    var escapedSlashes = switch (h.getPathWithEscapedSlashesAction()) {
      // Envoy's implementation default keeps the path unchanged.
      case IMPLEMENTATION_SPECIFIC_DEFAULT, KEEP_UNCHANGED ->
          HttpConnectionManagerConfig.PathWithEscapedSlashesAction.KEEP_UNCHANGED;
      case REJECT_REQUEST -> HttpConnectionManagerConfig.PathWithEscapedSlashesAction.REJECT_REQUEST;
      case UNESCAPE_AND_REDIRECT -> HttpConnectionManagerConfig.PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT;
      case UNESCAPE_AND_FORWARD -> HttpConnectionManagerConfig.PathWithEscapedSlashesAction.UNESCAPE_AND_FORWARD;
      case UNRECOGNIZED -> throw new XdsValidationException("path_with_escaped_slashes_action",
          "unknown value " + h.getPathWithEscapedSlashesActionValue());
    };
    var forwardClientCert = switch (h.getForwardClientCertDetails()) {
      case SANITIZE -> HttpConnectionManagerConfig.ForwardClientCertDetails.SANITIZE;
      case FORWARD_ONLY -> HttpConnectionManagerConfig.ForwardClientCertDetails.FORWARD_ONLY;
      case APPEND_FORWARD -> HttpConnectionManagerConfig.ForwardClientCertDetails.APPEND_FORWARD;
      case SANITIZE_SET -> HttpConnectionManagerConfig.ForwardClientCertDetails.SANITIZE_SET;
      case ALWAYS_FORWARD_ONLY -> HttpConnectionManagerConfig.ForwardClientCertDetails.ALWAYS_FORWARD_ONLY;
      case UNRECOGNIZED -> throw new XdsValidationException("forward_client_cert_details",
          "unknown value " + h.getForwardClientCertDetailsValue());
    };
    var certDetails = h.getSetCurrentClientCertDetails();
    Optional<HttpConnectionManagerConfig.Tracing> tracing = h.hasTracing()
        ? Optional.of(Validation.at("tracing", () -> tracing(h.getTracing())))
        : Optional.empty();
    return new HttpConnectionManagerConfig(
        h.getStatPrefix(),
        routes,
        filters,
        streamIdle,
        requestTimeout,
        maxStreamDuration,
        h.hasNormalizePath() && h.getNormalizePath().getValue(),
        h.getMergeSlashes(),
        escapedSlashes,
        h.hasUseRemoteAddress() && h.getUseRemoteAddress().getValue(),
        (int) Math.min(Integer.toUnsignedLong(h.getXffNumTrustedHops()), Integer.MAX_VALUE),
        forwardClientCert,
        new HttpConnectionManagerConfig.ClientCertDetails(
            certDetails.hasSubject() && certDetails.getSubject().getValue(),
            certDetails.getCert(), certDetails.getChain(), certDetails.getDns(), certDetails.getUri()),
        tracing,
        !h.hasGenerateRequestId() || h.getGenerateRequestId().getValue(),
        h.getPreserveExternalRequestId(),
        upgrades(h.getUpgradeConfigsList()),
        h.getServerName().isEmpty() ? HttpConnectionManagerConfig.DEFAULT_SERVER_NAME : h.getServerName());
  }

  private static HttpConnectionManagerConfig.RouteSource routeSource(HttpConnectionManager h)
      throws XdsValidationException {
    return switch (h.getRouteSpecifierCase()) {
      case RDS -> {
        var rds = h.getRds();
        Validation.check(rds.hasConfigSource(), "rds.config_source", "must be set");
        ConfigSource.ConfigSourceSpecifierCase source = rds.getConfigSource().getConfigSourceSpecifierCase();
        Validation.check(source == ConfigSource.ConfigSourceSpecifierCase.ADS
                || source == ConfigSource.ConfigSourceSpecifierCase.SELF, "rds.config_source",
            "only ads and self are supported, was " + source.name().toLowerCase(Locale.ROOT));
        Validation.check(!rds.getRouteConfigName().isEmpty(), "rds.route_config_name", "must not be empty");
        yield new HttpConnectionManagerConfig.RouteSource.Rds(rds.getRouteConfigName());
      }
      case ROUTE_CONFIG -> new HttpConnectionManagerConfig.RouteSource.Inline(
          Validation.at("route_config", () -> RouteConfigurations.routeConfig(h.getRouteConfig())));
      case SCOPED_ROUTES -> throw new XdsValidationException("scoped_routes", "not supported; use rds or route_config");
      case ROUTESPECIFIER_NOT_SET -> throw XdsValidationException.of("one of rds or route_config must be set");
    };
  }

  private static HttpConnectionManagerConfig.Tracing tracing(HttpConnectionManager.Tracing t)
      throws XdsValidationException {
    List<CustomTag> tags = new ArrayList<>(t.getCustomTagsCount());
    for (int i = 0; i < t.getCustomTagsCount(); i++) {
      io.envoyproxy.envoy.type.tracing.v3.CustomTag tag = t.getCustomTags(i);
      String segment = tag.getTag().isEmpty()
          ? Validation.indexed("custom_tags", i) : Validation.named("custom_tags", tag.getTag());
      tags.add(Validation.at(segment, () -> customTag(tag)));
    }
    return new HttpConnectionManagerConfig.Tracing(
        sampling("client_sampling", t.hasClientSampling(), t.getClientSampling()),
        sampling("random_sampling", t.hasRandomSampling(), t.getRandomSampling()),
        sampling("overall_sampling", t.hasOverallSampling(), t.getOverallSampling()),
        t.getVerbose(),
        t.hasMaxPathTagLength()
            ? (int) Math.min(Integer.toUnsignedLong(t.getMaxPathTagLength().getValue()), Integer.MAX_VALUE)
            : HttpConnectionManagerConfig.Tracing.DEFAULT_MAX_PATH_TAG_LENGTH,
        tags,
        t.hasSpawnUpstreamSpan() ? Optional.of(t.getSpawnUpstreamSpan().getValue()) : Optional.empty(),
        t.hasProvider() ? Optional.of(t.getProvider().getName()) : Optional.empty());
  }

  /** Envoy samples 100% when a sampling field is unset. */
  private static Fraction sampling(String field, boolean present, io.envoyproxy.envoy.type.v3.Percent p)
      throws XdsValidationException {
    return present ? Validation.at(field, () -> CommonProtos.percent(p)) : Fraction.ALL;
  }

  private static CustomTag customTag(io.envoyproxy.envoy.type.tracing.v3.CustomTag t) throws XdsValidationException {
    Validation.check(!t.getTag().isEmpty(), "tag", "must not be empty");
    return switch (t.getTypeCase()) {
      case LITERAL -> new CustomTag.Literal(t.getTag(), t.getLiteral().getValue());
      case ENVIRONMENT -> {
        Validation.check(!t.getEnvironment().getName().isEmpty(), "environment.name", "must not be empty");
        yield new CustomTag.Environment(t.getTag(), t.getEnvironment().getName(),
            t.getEnvironment().getDefaultValue());
      }
      case REQUEST_HEADER -> {
        Validation.check(!t.getRequestHeader().getName().isEmpty(), "request_header.name", "must not be empty");
        yield new CustomTag.RequestHeader(t.getTag(), t.getRequestHeader().getName(),
            t.getRequestHeader().getDefaultValue());
      }
      case METADATA -> {
        Metadata m = t.getMetadata();
        List<String> path = new ArrayList<>(m.getMetadataKey().getPathCount());
        m.getMetadataKey().getPathList().forEach(segment -> path.add(segment.getKey()));
        String kind = m.getKind().getKindCase() == io.envoyproxy.envoy.type.metadata.v3.MetadataKind.KindCase.KIND_NOT_SET
            ? "request" : m.getKind().getKindCase().name().toLowerCase(Locale.ROOT);
        yield new CustomTag.MetadataValue(t.getTag(), kind, m.getMetadataKey().getKey(), path, m.getDefaultValue());
      }
      case TYPE_NOT_SET -> throw XdsValidationException.of(
          "one of literal, environment, request_header or metadata must be set");
    };
  }

  private static List<HttpConnectionManagerConfig.UpgradeConfig> upgrades(
      List<HttpConnectionManager.UpgradeConfig> configs) throws XdsValidationException {
    List<HttpConnectionManagerConfig.UpgradeConfig> out = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      HttpConnectionManager.UpgradeConfig u = configs.get(i);
      String path = Validation.indexed("upgrade_configs", i);
      Validation.check(!u.getUpgradeType().isEmpty(), path + ".upgrade_type", "must not be empty");
      Validation.check(u.getFiltersCount() == 0, path + ".filters", "custom upgrade filter chains are not supported");
      out.add(new HttpConnectionManagerConfig.UpgradeConfig(u.getUpgradeType(),
          !u.hasEnabled() || u.getEnabled().getValue()));
    }
    return out;
  }
}
