package dev.inboard.mesh.xds.parse;

import static dev.inboard.mesh.xds.parse.LdsRdsProtoJson.listenerAny;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.CidrRange;
import dev.inboard.mesh.config.FaultConfig;
import dev.inboard.mesh.config.FilterChainConfig;
import dev.inboard.mesh.config.FilterChainConfig.FilterChainMatch;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HeaderMutation;
import dev.inboard.mesh.config.HttpConnectionManagerConfig;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.ClientCertDetails;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.CustomTag;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.ForwardClientCertDetails;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.PathWithEscapedSlashesAction;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.RouteSource;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.Tracing;
import dev.inboard.mesh.config.HttpConnectionManagerConfig.UpgradeConfig;
import dev.inboard.mesh.config.HttpFilterConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.ListenerConfig.TrafficDirection;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.NetworkFilter;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.config.RouteMatch;
import dev.inboard.mesh.config.RouteRule;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.TlsContext;
import dev.inboard.mesh.config.VirtualHostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenerParserTest {
  private static final String HCM_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  private static final String TCP_PROXY_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
  private static final String ROUTER = """
      {"name": "envoy.filters.http.router",
       "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}""";
  private static final String FAULT = """
      {"name": "envoy.filters.http.fault",
       "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault"}}""";
  private static final String CORS = """
      {"name": "envoy.filters.http.cors",
       "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"}}""";
  private static final String STATS = """
      {"name": "istio.stats", "typedConfig": {"@type": "type.googleapis.com/stats.PluginConfig"}}""";
  private static final String METADATA_EXCHANGE = """
      {"name": "istio.metadata_exchange",
       "typedConfig": {
         "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
         "typeUrl": "type.googleapis.com/io.istio.http.peer_metadata.Config",
         "value": {"upstream_discovery": [{"istio_headers": {}}, {"workload_discovery": {}}],
                   "upstream_propagation": [{"istio_headers": {}}]}}}""";
  private static final String SDS_CONFIG = """
      {"apiConfigSource": {"apiType": "GRPC", "transportApiVersion": "V3",
                           "grpcServices": [{"envoyGrpc": {"clusterName": "sds-grpc"}}],
                           "setNodeOnFirstMessageOnly": true},
       "initialFetchTimeout": "0s", "resourceApiVersion": "V3"}""";

  private static final HttpFilterConfig.Router ROUTER_FILTER =
      new HttpFilterConfig.Router("envoy.filters.http.router", false, false);
  private static final HttpFilterConfig.Fault FAULT_FILTER =
      new HttpFilterConfig.Fault("envoy.filters.http.fault", FaultConfig.NONE, false);
  private static final HttpFilterConfig.Opaque CORS_FILTER = new HttpFilterConfig.Opaque("envoy.filters.http.cors",
      "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors", false, false);
  private static final HttpFilterConfig.Opaque STATS_FILTER =
      new HttpFilterConfig.Opaque("istio.stats", "type.googleapis.com/stats.PluginConfig", false, false);
  private static final HttpFilterConfig.Opaque METADATA_EXCHANGE_FILTER = new HttpFilterConfig.Opaque(
      "istio.metadata_exchange", "type.googleapis.com/io.istio.http.peer_metadata.Config", false, false);

  private final ListenerParser parser = new ListenerParser();

  @Test
  void parser_kindAndTypeUrl_areListener() {
    assertThat(parser.kind()).isEqualTo("Listener");
    assertThat(parser.typeUrl()).isEqualTo("type.googleapis.com/envoy.config.listener.v3.Listener");
  }

  @Test
  void outboundSidecarListener_port9080_parsesRdsConnectionManagerAndPassthroughDefaultChain() {
    Any any = listenerAny("""
        {
          "name": "0.0.0.0_9080",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 9080}},
          "filterChains": [{
            "filterChainMatch": {"transportProtocol": "raw_buffer", "applicationProtocols": ["http/1.1", "h2c"]},
            "filters": [{
              "name": "envoy.filters.network.http_connection_manager",
              "typedConfig": {
                "@type": "%s",
                "statPrefix": "outbound_0.0.0.0_9080",
                "rds": {"configSource": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
                        "routeConfigName": "9080"},
                "httpFilters": [%s, %s, %s, %s, %s],
                "tracing": {
                  "clientSampling": {"value": 100},
                  "randomSampling": {"value": 1},
                  "overallSampling": {"value": 100},
                  "customTags": [
                    {"tag": "istio.authorization.dry_run.allow_policy.name",
                     "metadata": {"kind": {"request": {}},
                                  "metadataKey": {"key": "envoy.filters.http.rbac",
                                                  "path": [{"key": "istio_dry_run_allow_shadow_effective_policy_id"}]}}},
                    {"tag": "istio.canonical_revision", "literal": {"value": "v1"}},
                    {"tag": "istio.canonical_service", "literal": {"value": "productpage"}},
                    {"tag": "istio.namespace", "literal": {"value": "default"}}
                  ]
                },
                "streamIdleTimeout": "0s",
                "useRemoteAddress": false,
                "upgradeConfigs": [{"upgradeType": "websocket"}],
                "normalizePath": true,
                "pathWithEscapedSlashesAction": "KEEP_UNCHANGED",
                "requestIdExtension": {"typedConfig": {
                  "@type": "type.googleapis.com/envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig",
                  "useRequestIdForTraceSampling": true}}
              }
            }]
          }],
          "defaultFilterChain": {
            "name": "PassthroughFilterChain",
            "filterChainMatch": {},
            "filters": [{"name": "envoy.filters.network.tcp_proxy",
                         "typedConfig": {"@type": "%s",
                                         "statPrefix": "PassthroughCluster", "cluster": "PassthroughCluster"}}]
          },
          "listenerFilters": [
            {"name": "envoy.filters.listener.tls_inspector", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"}},
            {"name": "envoy.filters.listener.http_inspector", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector"}}
          ],
          "listenerFiltersTimeout": "0s",
          "continueOnListenerFiltersTimeout": true,
          "trafficDirection": "OUTBOUND",
          "bindToPort": false
        }
        """.formatted(HCM_TYPE, METADATA_EXCHANGE, FAULT, CORS, STATS, ROUTER, TCP_PROXY_TYPE));

    HttpConnectionManagerConfig hcm = new HttpConnectionManagerConfig(
        "outbound_0.0.0.0_9080",
        new RouteSource.Rds("9080"),
        List.of(METADATA_EXCHANGE_FILTER, FAULT_FILTER, CORS_FILTER, STATS_FILTER, ROUTER_FILTER),
        Duration.ZERO,
        Duration.ZERO,
        Optional.empty(),
        true,
        false,
        PathWithEscapedSlashesAction.KEEP_UNCHANGED,
        false,
        0,
        ForwardClientCertDetails.SANITIZE,
        ClientCertDetails.NONE,
        Optional.of(new Tracing(Fraction.ALL, new Fraction(10_000), Fraction.ALL, false, 256,
            List.of(
                new CustomTag.MetadataValue("istio.authorization.dry_run.allow_policy.name", "request",
                    "envoy.filters.http.rbac", List.of("istio_dry_run_allow_shadow_effective_policy_id"), ""),
                new CustomTag.Literal("istio.canonical_revision", "v1"),
                new CustomTag.Literal("istio.canonical_service", "productpage"),
                new CustomTag.Literal("istio.namespace", "default")),
            Optional.empty(), Optional.empty())),
        true,
        false,
        List.of(new UpgradeConfig("websocket", true)),
        "envoy");
    ListenerConfig expected = new ListenerConfig(
        "0.0.0.0_9080",
        Optional.of(new SocketAddress("0.0.0.0", 9080)),
        List.of(),
        TrafficDirection.OUTBOUND,
        Optional.empty(),
        List.of(new FilterChainConfig("",
            new FilterChainMatch(Optional.empty(), List.of(), List.of(), FilterChainConfig.SourceType.ANY, List.of(),
                List.of(), List.of(), "raw_buffer", List.of("http/1.1", "h2c")),
            Optional.empty(),
            List.of(new NetworkFilter.HttpConnectionManager("envoy.filters.network.http_connection_manager", hcm)))),
        Optional.of(new FilterChainConfig("PassthroughFilterChain", FilterChainMatch.ANY, Optional.empty(),
            List.of(new NetworkFilter.TcpProxy("envoy.filters.network.tcp_proxy", "PassthroughCluster",
                new NetworkFilter.TcpProxy.Target.Cluster("PassthroughCluster"))))),
        List.of("envoy.filters.listener.tls_inspector", "envoy.filters.listener.http_inspector"),
        false,
        false,
        Metadata.EMPTY);

    ListenerConfig listener = valid(any);
    assertThat(listener).isEqualTo(expected);
    assertThat(listener.routeConfigNames()).containsExactly("9080");
    assertThat(listener.secretRefs()).isEmpty();
    assertThat(hcm.tracing().orElseThrow().customTagNames()).containsExactly(
        "istio.authorization.dry_run.allow_policy.name", "istio.canonical_revision", "istio.canonical_service",
        "istio.namespace");
  }

  @Test
  void virtualInbound_filterChainsPerPort_parseMtlsWithSdsSecretsAndKeepRbacOpaque() {
    String inboundHcm = """
        {
          "@type": "%s",
          "statPrefix": "inbound_0.0.0.0_9080",
          "routeConfig": {
            "name": "inbound|9080||",
            "virtualHosts": [{
              "name": "inbound|http|9080",
              "domains": ["*"],
              "routes": [{
                "name": "default",
                "match": {"prefix": "/"},
                "route": {"cluster": "inbound|9080||", "timeout": "0s",
                          "maxStreamDuration": {"maxStreamDuration": "0s", "grpcTimeoutHeaderMax": "0s"}},
                "decorator": {"operation": "reviews.default.svc.cluster.local:9080/*"}
              }]
            }],
            "validateClusters": false
          },
          "httpFilters": [
            %s,
            {"name": "envoy.filters.http.rbac",
             "typedConfig": {
               "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
               "rules": {"policies": {"ns[default]-policy[reviews-viewer]-rule[0]": {
                 "permissions": [{"andRules": {"rules": [{"orRules": {"rules": [
                   {"header": {"name": ":method", "stringMatch": {"exact": "GET"}}}]}}]}}],
                 "principals": [{"andIds": {"ids": [{"orIds": {"ids": [
                   {"authenticated": {"principalName": {
                     "exact": "spiffe://cluster.local/ns/default/sa/bookinfo-productpage"}}}]}}]}}]}}},
               "shadowRulesStatPrefix": "istio_dry_run_allow_"}},
            %s, %s, %s, %s
          ],
          "serverName": "istio-envoy",
          "streamIdleTimeout": "0s",
          "useRemoteAddress": false,
          "forwardClientCertDetails": "APPEND_FORWARD",
          "setCurrentClientCertDetails": {"subject": true, "dns": true, "uri": true},
          "upgradeConfigs": [{"upgradeType": "websocket"}],
          "normalizePath": true,
          "pathWithEscapedSlashesAction": "KEEP_UNCHANGED"
        }""".formatted(HCM_TYPE, METADATA_EXCHANGE, FAULT, CORS, STATS, ROUTER);
    Any any = listenerAny("""
        {
          "name": "virtualInbound",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 15006}},
          "filterChains": [
            {
              "name": "virtualInbound-blackhole",
              "filterChainMatch": {"destinationPort": 15006},
              "filters": [
                {"name": "istio.stats", "typedConfig": {"@type": "type.googleapis.com/stats.PluginConfig"}},
                {"name": "envoy.filters.network.tcp_proxy",
                 "typedConfig": {"@type": "%1$s", "statPrefix": "BlackHoleCluster", "cluster": "BlackHoleCluster"}}
              ]
            },
            {
              "name": "0.0.0.0_9080",
              "filterChainMatch": {
                "destinationPort": 9080,
                "transportProtocol": "tls",
                "applicationProtocols": ["istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"]
              },
              "transportSocket": {
                "name": "envoy.transport_sockets.tls",
                "typedConfig": {
                  "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                  "commonTlsContext": {
                    "tlsParams": {"tlsMinimumProtocolVersion": "TLSv1_2", "tlsMaximumProtocolVersion": "TLSv1_3"},
                    "alpnProtocols": ["istio-peer-exchange", "h2", "http/1.1"],
                    "tlsCertificateSdsSecretConfigs": [{"name": "default", "sdsConfig": %2$s}],
                    "combinedValidationContext": {
                      "defaultValidationContext": {"matchSubjectAltNames": [{"prefix": "spiffe://cluster.local/"}]},
                      "validationContextSdsSecretConfig": {"name": "ROOTCA", "sdsConfig": %2$s}
                    }
                  },
                  "requireClientCertificate": true
                }
              },
              "filters": [{"name": "envoy.filters.network.http_connection_manager", "typedConfig": %3$s}]
            },
            {
              "name": "0.0.0.0_9080",
              "filterChainMatch": {"destinationPort": 9080, "transportProtocol": "raw_buffer"},
              "filters": [{"name": "envoy.filters.network.http_connection_manager", "typedConfig": %3$s}]
            },
            {
              "name": "virtualInbound",
              "filterChainMatch": {"prefixRanges": [{"addressPrefix": "0.0.0.0", "prefixLen": 0}]},
              "filters": [
                {"name": "envoy.filters.network.rbac",
                 "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC",
                                 "rules": {}, "statPrefix": "tcp."}},
                {"name": "envoy.filters.network.tcp_proxy",
                 "typedConfig": {"@type": "%1$s", "statPrefix": "InboundPassthroughCluster",
                                 "cluster": "InboundPassthroughCluster"}}
              ]
            }
          ],
          "listenerFilters": [
            {"name": "envoy.filters.listener.original_dst", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst"}},
            {"name": "envoy.filters.listener.tls_inspector", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"}}
          ],
          "useOriginalDst": true,
          "trafficDirection": "INBOUND",
          "listenerFiltersTimeout": "0s",
          "continueOnListenerFiltersTimeout": true
        }
        """.formatted(TCP_PROXY_TYPE, SDS_CONFIG, inboundHcm));

    RouteConfig inboundRoutes = new RouteConfig(
        "inbound|9080||",
        List.of(new VirtualHostConfig("inbound|http|9080", List.of("*"),
            List.of(new RouteRule("default",
                new RouteMatch(new RouteMatch.PathMatcher.Prefix("/"), true, List.of(), List.of(), Optional.empty(),
                    false),
                new RouteAction.Forward(new RouteAction.ClusterSpecifier.Single("inbound|9080||"),
                    Optional.of(Duration.ZERO), Optional.empty(), Optional.empty(), List.of(), List.of(),
                    Optional.empty(), Optional.empty(),
                    Optional.of(new RouteAction.MaxStreamDuration(Optional.of(Duration.ZERO),
                        Optional.of(Duration.ZERO), Optional.empty())),
                    Optional.empty()),
                Optional.of("reviews.default.svc.cluster.local:9080/*"),
                HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), Metadata.EMPTY)),
            Optional.empty(), Optional.empty(), HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), false, false,
            List.of(), Metadata.EMPTY)),
        HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), List.of(), false, false);
    NetworkFilter.HttpConnectionManager hcm = new NetworkFilter.HttpConnectionManager(
        "envoy.filters.network.http_connection_manager",
        new HttpConnectionManagerConfig(
            "inbound_0.0.0.0_9080",
            new RouteSource.Inline(inboundRoutes),
            List.of(METADATA_EXCHANGE_FILTER,
                new HttpFilterConfig.Opaque("envoy.filters.http.rbac",
                    "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC", false, false),
                FAULT_FILTER, CORS_FILTER, STATS_FILTER, ROUTER_FILTER),
            Duration.ZERO, Duration.ZERO, Optional.empty(), true, false, PathWithEscapedSlashesAction.KEEP_UNCHANGED,
            false, 0, ForwardClientCertDetails.APPEND_FORWARD, new ClientCertDetails(true, false, false, true, true),
            Optional.empty(), true, false, List.of(new UpgradeConfig("websocket", true)), "istio-envoy"));
    TlsContext.Downstream mtls = new TlsContext.Downstream(
        new TlsContext(
            Optional.of(new SecretRef.WorkloadCertificate("default")),
            Optional.of(new SecretRef.RootCertificate("ROOTCA")),
            List.of(new StringMatcher.Prefix("spiffe://cluster.local/", false)),
            List.of("istio-peer-exchange", "h2", "http/1.1")),
        true);
    List<FilterChainConfig> chains = List.of(
        new FilterChainConfig("virtualInbound-blackhole",
            new FilterChainMatch(Optional.of(15006), List.of(), List.of(), FilterChainConfig.SourceType.ANY,
                List.of(), List.of(), List.of(), "", List.of()),
            Optional.empty(),
            List.of(new NetworkFilter.Opaque("istio.stats", "type.googleapis.com/stats.PluginConfig"),
                new NetworkFilter.TcpProxy("envoy.filters.network.tcp_proxy", "BlackHoleCluster",
                    new NetworkFilter.TcpProxy.Target.Cluster("BlackHoleCluster")))),
        new FilterChainConfig("0.0.0.0_9080",
            new FilterChainMatch(Optional.of(9080), List.of(), List.of(), FilterChainConfig.SourceType.ANY,
                List.of(), List.of(), List.of(), "tls",
                List.of("istio-peer-exchange", "istio", "istio-http/1.0", "istio-http/1.1", "istio-h2")),
            Optional.of(mtls),
            List.of(hcm)),
        new FilterChainConfig("0.0.0.0_9080",
            new FilterChainMatch(Optional.of(9080), List.of(), List.of(), FilterChainConfig.SourceType.ANY,
                List.of(), List.of(), List.of(), "raw_buffer", List.of()),
            Optional.empty(),
            List.of(hcm)),
        new FilterChainConfig("virtualInbound",
            new FilterChainMatch(Optional.empty(), List.of(new CidrRange("0.0.0.0", 0)), List.of(),
                FilterChainConfig.SourceType.ANY, List.of(), List.of(), List.of(), "", List.of()),
            Optional.empty(),
            List.of(new NetworkFilter.Opaque("envoy.filters.network.rbac",
                    "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"),
                new NetworkFilter.TcpProxy("envoy.filters.network.tcp_proxy", "InboundPassthroughCluster",
                    new NetworkFilter.TcpProxy.Target.Cluster("InboundPassthroughCluster")))));
    ListenerConfig expected = new ListenerConfig("virtualInbound", Optional.of(new SocketAddress("0.0.0.0", 15006)),
        List.of(), TrafficDirection.INBOUND, Optional.empty(), chains, Optional.empty(),
        List.of("envoy.filters.listener.original_dst", "envoy.filters.listener.tls_inspector"), true, true,
        Metadata.EMPTY);

    ListenerConfig listener = valid(any);
    assertThat(listener).isEqualTo(expected);
    assertThat(listener.secretRefs()).containsExactly(
        new SecretRef.WorkloadCertificate("default"), new SecretRef.RootCertificate("ROOTCA"));
    assertThat(listener.routeConfigNames()).isEmpty();
    assertThat(listener.httpConnectionManagers()).hasSize(2);
  }

  @Test
  void grpcGeneratorClientListener_apiListener_subscribesToClusterNamedRouteConfig() {
    Any any = listenerAny("""
        {
          "name": "reviews.default.svc.cluster.local:9080",
          "address": {"socketAddress": {"address": "10.96.0.10", "portValue": 9080}},
          "apiListener": {"apiListener": {
            "@type": "%s",
            "httpFilters": [%s, %s],
            "rds": {"configSource": {"ads": {}},
                    "routeConfigName": "outbound|9080||reviews.default.svc.cluster.local"}
          }}
        }
        """.formatted(HCM_TYPE, FAULT, ROUTER));

    HttpConnectionManagerConfig hcm = envoyDefaults("",
        new RouteSource.Rds("outbound|9080||reviews.default.svc.cluster.local"), List.of(FAULT_FILTER, ROUTER_FILTER));
    ListenerConfig expected = new ListenerConfig("reviews.default.svc.cluster.local:9080",
        Optional.of(new SocketAddress("10.96.0.10", 9080)), List.of(), TrafficDirection.UNSPECIFIED,
        Optional.of(hcm), List.of(), Optional.empty(), List.of(), false, true, Metadata.EMPTY);

    ListenerConfig listener = valid(any);
    assertThat(listener).isEqualTo(expected);
    assertThat(listener.routeConfigNames()).containsExactly("outbound|9080||reviews.default.svc.cluster.local");
  }

  @Test
  void grpcGeneratorServerListener_plaintext_parsesInlineNonForwardingRoute() {
    Any any = listenerAny("""
        {
          "name": "xds.istio.io/grpc/lds/inbound/0.0.0.0:8080",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 8080}},
          "filterChains": [{
            "name": "inbound-plaintext",
            "filters": [{
              "name": "inbound-hcmplaintext",
              "typedConfig": {
                "@type": "%s",
                "routeConfig": {
                  "name": "inbound",
                  "virtualHosts": [{"domains": ["*"],
                                    "routes": [{"match": {"prefix": "/"}, "nonForwardingAction": {}}]}]
                },
                "httpFilters": [%s]
              }
            }]
          }]
        }
        """.formatted(HCM_TYPE, ROUTER));

    RouteConfig inbound = new RouteConfig("inbound",
        List.of(new VirtualHostConfig("", List.of("*"),
            List.of(new RouteRule("",
                new RouteMatch(new RouteMatch.PathMatcher.Prefix("/"), true, List.of(), List.of(), Optional.empty(),
                    false),
                new RouteAction.NonForwarding(), Optional.empty(), HeaderMutation.NONE, HeaderMutation.NONE,
                Map.of(), Metadata.EMPTY)),
            Optional.empty(), Optional.empty(), HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), false, false,
            List.of(), Metadata.EMPTY)),
        HeaderMutation.NONE, HeaderMutation.NONE, Map.of(), List.of(), false, false);
    ListenerConfig expected = new ListenerConfig("xds.istio.io/grpc/lds/inbound/0.0.0.0:8080",
        Optional.of(new SocketAddress("0.0.0.0", 8080)), List.of(), TrafficDirection.UNSPECIFIED, Optional.empty(),
        List.of(new FilterChainConfig("inbound-plaintext", FilterChainMatch.ANY, Optional.empty(),
            List.of(new NetworkFilter.HttpConnectionManager("inbound-hcmplaintext",
                envoyDefaults("", new RouteSource.Inline(inbound), List.of(ROUTER_FILTER)))))),
        Optional.empty(), List.of(), false, true, Metadata.EMPTY);

    assertThat(valid(any)).isEqualTo(expected);
  }

  @Test
  void grpcGeneratorServerListener_mtls_secretRefsAreCertificateProviderInstances() {
    Any any = listenerAny("""
        {
          "name": "xds.istio.io/grpc/lds/inbound/0.0.0.0:8080",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 8080}},
          "filterChains": [{
            "name": "inbound-mtls",
            "transportSocket": {
              "name": "envoy.transport_sockets.tls",
              "typedConfig": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                "commonTlsContext": {
                  "tlsCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
                  "tlsCertificateCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
                  "combinedValidationContext": {
                    "defaultValidationContext": {
                      "caCertificateProviderInstance": {"instanceName": "default", "certificateName": "ROOTCA"}},
                    "validationContextCertificateProviderInstance": {"instanceName": "default", "certificateName": "ROOTCA"}
                  }
                },
                "requireClientCertificate": true
              }
            },
            "filters": [{
              "name": "inbound-hcmmtls",
              "typedConfig": {
                "@type": "%s",
                "routeConfig": {"name": "inbound", "virtualHosts": [{"domains": ["*"],
                  "routes": [{"match": {"prefix": "/"}, "nonForwardingAction": {}}]}]},
                "httpFilters": [
                  {"name": "envoy.filters.http.rbac.DENY",
                   "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
                                   "rules": {"action": "DENY", "policies": {"test-echo-rbac-mtls-0": {
                                     "permissions": [{"any": true}],
                                     "principals": [{"header": {"name": "echo", "stringMatch": {"exact": "block"}}}]}}}}},
                  %s
                ]
              }
            }]
          }]
        }
        """.formatted(HCM_TYPE, ROUTER));

    ListenerConfig listener = valid(any);
    FilterChainConfig chain = listener.filterChains().get(0);
    assertThat(chain.tls()).contains(new TlsContext.Downstream(
        new TlsContext(Optional.of(new SecretRef.ProviderInstance("default/default", "default", "default")),
            Optional.of(new SecretRef.ProviderInstance("default/ROOTCA", "default", "ROOTCA")), List.of(), List.of()),
        true));
    assertThat(listener.secretRefs()).containsExactly(
        new SecretRef.ProviderInstance("default/default", "default", "default"),
        new SecretRef.ProviderInstance("default/ROOTCA", "default", "ROOTCA"));
    assertThat(listener.httpConnectionManagers().get(0).httpFilters()).containsExactly(
        new HttpFilterConfig.Opaque("envoy.filters.http.rbac.DENY",
            "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC", false, false),
        ROUTER_FILTER);
  }

  @Test
  void grpcGeneratorClientListener_statefulSessionAndEcdsFilters_stayOpaque() {
    Any any = listenerAny("""
        {
          "name": "echo.default.svc.cluster.local:7070",
          "address": {"socketAddress": {"address": "10.96.0.20", "portValue": 7070}},
          "apiListener": {"apiListener": {
            "@type": "%s",
            "httpFilters": [
              {"name": "envoy.filters.http.stateful_session", "typedConfig": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession"}},
              {"name": "istio.wasm.default.logger", "isOptional": true,
               "configDiscovery": {"configSource": {"ads": {}},
                                   "typeUrls": ["type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"]}},
              {"name": "envoy.filters.http.router"}
            ],
            "rds": {"configSource": {"self": {}}, "routeConfigName": "outbound|7070||echo.default.svc.cluster.local"}
          }}
        }
        """.formatted(HCM_TYPE));

    assertThat(valid(any).apiListener().orElseThrow().httpFilters()).containsExactly(
        new HttpFilterConfig.Opaque("envoy.filters.http.stateful_session",
            "type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession", false, false),
        new HttpFilterConfig.Opaque("istio.wasm.default.logger",
            "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm", true, false),
        ROUTER_FILTER);
  }

  @Test
  void filterChain_allMatchCriteria_areKept() {
    Any any = listenerAny("""
        {
          "name": "0.0.0.0_15001",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 15001}},
          "filterChains": [{
            "name": "tcp-mysql",
            "filterChainMatch": {
              "destinationPort": 3306,
              "prefixRanges": [{"addressPrefix": "10.96.0.0", "prefixLen": 16}, {"addressPrefix": "fd00::", "prefixLen": 8}],
              "directSourcePrefixRanges": [{"addressPrefix": "127.0.0.1", "prefixLen": 32}],
              "sourceType": "SAME_IP_OR_LOOPBACK",
              "sourcePrefixRanges": [{"addressPrefix": "192.168.0.0", "prefixLen": 24}],
              "sourcePorts": [5000, 5001],
              "serverNames": ["mysql.default.svc.cluster.local", "*.example.com"],
              "transportProtocol": "tls",
              "applicationProtocols": ["mysql"]
            },
            "filters": [{"name": "envoy.filters.network.tcp_proxy", "typedConfig": {
              "@type": "%s", "statPrefix": "outbound|3306||mysql.default.svc.cluster.local",
              "weightedClusters": {"clusters": [
                {"name": "outbound|3306|v1|mysql.default.svc.cluster.local", "weight": 90},
                {"name": "outbound|3306|v2|mysql.default.svc.cluster.local", "weight": 10}]}}}]
          }],
          "useOriginalDst": true
        }
        """.formatted(TCP_PROXY_TYPE));

    assertThat(valid(any).filterChains()).containsExactly(new FilterChainConfig("tcp-mysql",
        new FilterChainMatch(Optional.of(3306), List.of(new CidrRange("10.96.0.0", 16), new CidrRange("fd00::", 8)),
            List.of(new CidrRange("127.0.0.1", 32)), FilterChainConfig.SourceType.SAME_IP_OR_LOOPBACK,
            List.of(new CidrRange("192.168.0.0", 24)), List.of(5000, 5001),
            List.of("mysql.default.svc.cluster.local", "*.example.com"), "tls", List.of("mysql")),
        Optional.empty(),
        List.of(new NetworkFilter.TcpProxy("envoy.filters.network.tcp_proxy",
            "outbound|3306||mysql.default.svc.cluster.local",
            new NetworkFilter.TcpProxy.Target.Weighted(List.of(
                new NetworkFilter.TcpProxy.WeightedCluster("outbound|3306|v1|mysql.default.svc.cluster.local", 90),
                new NetworkFilter.TcpProxy.WeightedCluster("outbound|3306|v2|mysql.default.svc.cluster.local",
                    10)))))));
  }

  // ---- NACKs ----

  @Test
  void httpFilters_empty_isNacked() {
    assertThat(invalid(apiListener("\"httpFilters\": []")))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': api_listener.api_listener.http_filters: "
            + "must not be empty; the router filter must come last");
  }

  @Test
  void httpFilters_routerNotLast_isNacked() {
    assertThat(invalid(apiListener("\"httpFilters\": [%s, %s]".formatted(ROUTER, FAULT))))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.http_filters[envoy.filters.http.router]: the router must be the last http "
            + "filter, but 1 filter(s) follow it, starting with 'envoy.filters.http.fault'");
  }

  @Test
  void httpFilters_noRouter_isNacked() {
    assertThat(invalid(apiListener("\"httpFilters\": [%s]".formatted(FAULT))))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.http_filters[envoy.filters.http.fault]: the last http filter must be the "
            + "router (type.googleapis.com/envoy.extensions.filters.http.router.v3.Router), "
            + "was 'envoy.filters.http.fault'");
  }

  @Test
  void httpFilters_disabledRouter_isNacked() {
    assertThat(invalid(apiListener("""
        "httpFilters": [{"name": "envoy.filters.http.router", "disabled": true, "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]""")))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.http_filters[envoy.filters.http.router].disabled: the router cannot be "
            + "disabled");
  }

  @Test
  void faultFilterConfig_invalidAbortStatus_isNacked() {
    assertThat(invalid(apiListener("""
        "httpFilters": [{"name": "envoy.filters.http.fault", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
          "abort": {"httpStatus": 700, "percentage": {"numerator": 100}}}}, %s]""".formatted(ROUTER))))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.http_filters[envoy.filters.http.fault].typed_config.abort.http_status: "
            + "must be in [200, 600), was 700");
  }

  @Test
  void scopedRoutes_areNacked() {
    Any any = listenerAny("""
        {
          "name": "reviews.default.svc.cluster.local:9080",
          "apiListener": {"apiListener": {
            "@type": "%s",
            "httpFilters": [%s],
            "scopedRoutes": {"name": "scopes", "scopeKeyBuilder": {"fragments": [
              {"headerValueExtractor": {"name": "x-scope"}}]},
              "rdsConfigSource": {"ads": {}}, "scopedRds": {"scopedRdsConfigSource": {"ads": {}}}}
          }}
        }
        """.formatted(HCM_TYPE, ROUTER));
    assertThat(invalid(any)).isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
        + "api_listener.api_listener.scoped_routes: not supported; use rds or route_config");
  }

  @Test
  void rds_nonAdsConfigSource_isNacked() {
    Any any = listenerAny("""
        {
          "name": "reviews.default.svc.cluster.local:9080",
          "apiListener": {"apiListener": {
            "@type": "%s",
            "httpFilters": [%s],
            "rds": {"configSource": {"pathConfigSource": {"path": "/etc/routes.yaml"}}, "routeConfigName": "9080"}
          }}
        }
        """.formatted(HCM_TYPE, ROUTER));
    assertThat(invalid(any)).isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
        + "api_listener.api_listener.rds.config_source: only ads and self are supported, was path_config_source");
  }

  @Test
  void apiListener_notAConnectionManager_isNacked() {
    Any any = listenerAny("""
        {"name": "reviews.default.svc.cluster.local:9080",
         "apiListener": {"apiListener": {"@type": "%s", "statPrefix": "x", "cluster": "y"}}}
        """.formatted(TCP_PROXY_TYPE));
    assertThat(invalid(any)).isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': api_listener.api_listener: "
        + "only an HttpConnectionManager is supported, was '" + TCP_PROXY_TYPE + "'");
  }

  @Test
  void listener_withoutFilterChains_isNacked() {
    Any any = listenerAny("""
        {"name": "0.0.0.0_9080", "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 9080}}}
        """);
    assertThat(invalid(any)).isEqualTo("Listener '0.0.0.0_9080': filter_chains: a listener needs filter_chains or a "
        + "default_filter_chain unless it is an API listener");
  }

  @Test
  void listener_withoutAddress_isNacked() {
    Any any = listenerAny("""
        {"name": "0.0.0.0_9080", "filterChains": [{"filters": [
          {"name": "envoy.filters.network.tcp_proxy",
           "typedConfig": {"@type": "%s", "statPrefix": "x", "cluster": "PassthroughCluster"}}]}]}
        """.formatted(TCP_PROXY_TYPE));
    assertThat(invalid(any)).isEqualTo(
        "Listener '0.0.0.0_9080': address: must be set for a listener that is not an API listener");
  }

  @Test
  void filterChains_sameMatchTwice_isNacked() {
    Any any = listenerAny("""
        {
          "name": "virtualInbound",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 15006}},
          "filterChains": [
            {"name": "a", "filterChainMatch": {"destinationPort": 9080, "transportProtocol": "raw_buffer"},
             "filters": [{"name": "envoy.filters.network.tcp_proxy",
                          "typedConfig": {"@type": "%1$s", "statPrefix": "x", "cluster": "inbound|9080||"}}]},
            {"name": "b", "filterChainMatch": {"destinationPort": 9080, "transportProtocol": "raw_buffer"},
             "filters": [{"name": "envoy.filters.network.tcp_proxy",
                          "typedConfig": {"@type": "%1$s", "statPrefix": "x", "cluster": "inbound|9080||"}}]}
          ]
        }
        """.formatted(TCP_PROXY_TYPE));
    assertThat(invalid(any)).isEqualTo("Listener 'virtualInbound': filter_chains[b].filter_chain_match: the same "
        + "match as filter_chains[a]; each filter chain must match differently");
  }

  @Test
  void networkFilters_terminalFilterNotLast_isNacked() {
    Any any = listenerAny("""
        {
          "name": "0.0.0.0_3306",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 3306}},
          "filterChains": [{"name": "tcp", "filters": [
            {"name": "envoy.filters.network.tcp_proxy",
             "typedConfig": {"@type": "%s", "statPrefix": "x", "cluster": "outbound|3306||mysql"}},
            {"name": "istio.stats", "typedConfig": {"@type": "type.googleapis.com/stats.PluginConfig"}}
          ]}]
        }
        """.formatted(TCP_PROXY_TYPE));
    assertThat(invalid(any)).isEqualTo("Listener '0.0.0.0_3306': filter_chains[tcp].filters[envoy.filters.network."
        + "tcp_proxy]: a terminal filter must be the last network filter, but 'istio.stats' follows it");
  }

  @Test
  void filterChainMatch_badCidrAndPorts_areNacked() {
    assertThat(invalid(matchListener("{\"prefixRanges\": [{\"addressPrefix\": \"10.0.0.0\", \"prefixLen\": 33}]}")))
        .isEqualTo("Listener 'l': filter_chains[c].filter_chain_match.prefix_ranges[0].prefix_len: must be <= 32 for "
            + "10.0.0.0, was 33");
    assertThat(invalid(matchListener("{\"sourcePrefixRanges\": [{\"addressPrefix\": \"reviews\"}]}")))
        .isEqualTo("Listener 'l': filter_chains[c].filter_chain_match.source_prefix_ranges[0].address_prefix: must "
            + "be an IPv4 or IPv6 address, was 'reviews'");
    assertThat(invalid(matchListener("{\"destinationPort\": 0}")))
        .isEqualTo("Listener 'l': filter_chains[c].filter_chain_match.destination_port: must be in [1, 65535], was 0");
    assertThat(invalid(matchListener("{\"sourcePorts\": [80, 70000]}")))
        .isEqualTo("Listener 'l': filter_chains[c].filter_chain_match.source_ports[1]: must be in [1, 65535], "
            + "was 70000");
  }

  @Test
  void inlineRouteConfig_errors_carryTheWholePath() {
    Any any = listenerAny("""
        {
          "name": "virtualInbound",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 15006}},
          "filterChains": [{
            "name": "0.0.0.0_9080",
            "filters": [{"name": "envoy.filters.network.http_connection_manager", "typedConfig": {
              "@type": "%s",
              "statPrefix": "inbound_0.0.0.0_9080",
              "routeConfig": {"name": "inbound|9080||", "virtualHosts": [{
                "name": "inbound|http|9080", "domains": ["*"],
                "routes": [{"match": {"safeRegex": {"regex": "/api/(v1"}}, "route": {"cluster": "inbound|9080||"}}]}]},
              "httpFilters": [%s]}}]
          }]
        }
        """.formatted(HCM_TYPE, ROUTER));
    assertThat(invalid(any)).isEqualTo("Listener 'virtualInbound': filter_chains[0.0.0.0_9080]"
        + ".filters[envoy.filters.network.http_connection_manager].typed_config.route_config"
        + ".virtual_hosts[inbound|http|9080].routes[0].match.safe_regex.regex: invalid RE2 regex '/api/(v1': "
        + "missing closing )");
  }

  @Test
  void tracing_samplingAbove100Percent_isNacked() {
    assertThat(invalid(apiListener("""
        "httpFilters": [%s], "tracing": {"randomSampling": {"value": 101}}""".formatted(ROUTER))))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.tracing.random_sampling.value: must be in [0, 100], was 101.0");
  }

  @Test
  void streamIdleTimeout_negative_isNacked() {
    assertThat(invalid(apiListener("""
        "httpFilters": [%s], "streamIdleTimeout": "-5s\"""".formatted(ROUTER))))
        .isEqualTo("Listener 'reviews.default.svc.cluster.local:9080': "
            + "api_listener.api_listener.stream_idle_timeout: must not be negative, was -5s 0ns");
  }

  @Test
  void unsupportedTransportSocket_isNacked() {
    Any any = listenerAny("""
        {
          "name": "l",
          "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 80}},
          "filterChains": [{"name": "c",
            "transportSocket": {"name": "custom", "typedConfig": {
              "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}},
            "filters": [{"name": "envoy.filters.network.tcp_proxy",
                         "typedConfig": {"@type": "%s", "statPrefix": "x", "cluster": "y"}}]}]
        }
        """.formatted(TCP_PROXY_TYPE));
    assertThat(invalid(any)).isEqualTo("Listener 'l': filter_chains[c].transport_socket.typed_config: unsupported "
        + "transport socket 'custom' of type type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
  }

  @Test
  void resource_ofAnotherType_isUnreadable() {
    ParseResult<ListenerConfig> result = parser.parse(LdsRdsProtoJson.routeConfigurationAny("{\"name\": \"9080\"}"));
    assertThat(result).isEqualTo(new ParseResult.Unreadable<>("Listener: unexpected type_url "
        + "'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', expected "
        + "'type.googleapis.com/envoy.config.listener.v3.Listener'"));
  }

  // ---- helpers ----

  private static HttpConnectionManagerConfig envoyDefaults(String statPrefix, RouteSource routes,
      List<HttpFilterConfig> filters) {
    return new HttpConnectionManagerConfig(statPrefix, routes, filters, Duration.ofMinutes(5), Duration.ZERO,
        Optional.empty(), false, false, PathWithEscapedSlashesAction.KEEP_UNCHANGED, false, 0,
        ForwardClientCertDetails.SANITIZE, ClientCertDetails.NONE, Optional.empty(), true, false, List.of(),
        "envoy");
  }

  private static Any apiListener(String hcmFields) {
    return listenerAny("""
        {"name": "reviews.default.svc.cluster.local:9080",
         "address": {"socketAddress": {"address": "10.96.0.10", "portValue": 9080}},
         "apiListener": {"apiListener": {
           "@type": "%s",
           "rds": {"configSource": {"ads": {}}, "routeConfigName": "outbound|9080||reviews.default.svc.cluster.local"},
           %s}}}
        """.formatted(HCM_TYPE, hcmFields));
  }

  private static Any matchListener(String match) {
    return listenerAny("""
        {"name": "l", "address": {"socketAddress": {"address": "0.0.0.0", "portValue": 80}},
         "filterChains": [{"name": "c", "filterChainMatch": %s,
           "filters": [{"name": "envoy.filters.network.tcp_proxy",
                        "typedConfig": {"@type": "%s", "statPrefix": "x", "cluster": "y"}}]}]}
        """.formatted(match, TCP_PROXY_TYPE));
  }

  private ListenerConfig valid(Any any) {
    ParseResult<ListenerConfig> result = parser.parse(any);
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ListenerConfig>) result).resource();
  }

  private String invalid(Any any) {
    ParseResult<ListenerConfig> result = parser.parse(any);
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    ParseResult.Invalid<ListenerConfig> invalid = (ParseResult.Invalid<ListenerConfig>) result;
    assertThat(invalid.name()).isEqualTo(LdsRdsProtoJson.listener(any).getName());
    return invalid.error();
  }
}
