package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.CircuitBreakers;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.ClusterConfig.DiscoveryType;
import dev.inboard.mesh.config.ClusterConfig.DnsLookupFamily;
import dev.inboard.mesh.config.ClusterConfig.DnsSettings;
import dev.inboard.mesh.config.ClusterConfig.TransportSocketMatch;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.OutlierDetection;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.config.StringMatcher;
import dev.inboard.mesh.config.TlsContext;
import dev.inboard.mesh.config.UpstreamHttpOptions;
import dev.inboard.mesh.config.UpstreamHttpOptions.UpstreamProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClusterParserTest {
  private static final String REVIEWS_V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
  private static final String SDS = """
      {"apiConfigSource": {"apiType": "GRPC", "transportApiVersion": "V3",
        "grpcServices": [{"envoyGrpc": {"clusterName": "sds-grpc"}}], "setNodeOnFirstMessageOnly": true},
       "initialFetchTimeout": "0s", "resourceApiVersion": "V3"}""";

  private final ClusterParser parser = new ClusterParser();

  @Test
  void parser_kindAndTypeUrl_matchCds() {
    assertThat(parser.kind()).isEqualTo("Cluster");
    assertThat(parser.typeUrl()).isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
  }

  /**
   * istiod's sidecar cluster for subset v1 of reviews with DestinationRule
   * {@code connectionPool.http.maxRequestsPerConnection: 10} and
   * {@code outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m, maxEjectionPercent: 100}},
   * auto-mTLS on.
   */
  @Test
  void istiodSidecarCluster_reviewsV1_becomesExactRecord() {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster("""
        {
          "name": "outbound|9080|v1|reviews.default.svc.cluster.local",
          "type": "EDS",
          "edsClusterConfig": {
            "edsConfig": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
            "serviceName": "outbound|9080|v1|reviews.default.svc.cluster.local"
          },
          "connectTimeout": "10s",
          "lbPolicy": "LEAST_REQUEST",
          "circuitBreakers": {"thresholds": [{
            "maxConnections": 4294967295, "maxPendingRequests": 4294967295,
            "maxRequests": 4294967295, "maxRetries": 4294967295, "trackRemaining": true
          }]},
          "outlierDetection": {
            "consecutive5xx": 7, "interval": "300s", "baseEjectionTime": "900s", "maxEjectionPercent": 100,
            "enforcingConsecutive5xx": 100, "enforcingSuccessRate": 0
          },
          "commonLbConfig": {"healthyPanicThreshold": {}},
          "altStatName": "outbound|9080|v1|reviews.default.svc.cluster.local;",
          "metadata": {"filterMetadata": {"istio": {
            "default_original_port": 9080,
            "services": [{"host": "reviews.default.svc.cluster.local", "name": "reviews", "namespace": "default"}],
            "subset": "v1"
          }}},
          "transportSocketMatches": [
            {
              "name": "tlsMode-istio",
              "match": {"tlsMode": "istio"},
              "transportSocket": {"name": "envoy.transport_sockets.tls", "typedConfig": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                "commonTlsContext": {
                  "tlsParams": {"tlsMinimumProtocolVersion": "TLSv1_2", "tlsMaximumProtocolVersion": "TLSv1_3"},
                  "alpnProtocols": ["istio-peer-exchange", "istio"],
                  "tlsCertificateSdsSecretConfigs": [{"name": "default", "sdsConfig": %1$s}],
                  "combinedValidationContext": {
                    "defaultValidationContext": {"matchSubjectAltNames": [
                      {"exact": "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"}]},
                    "validationContextSdsSecretConfig": {"name": "ROOTCA", "sdsConfig": %1$s}
                  }
                },
                "sni": "outbound_.9080_.v1_.reviews.default.svc.cluster.local"
              }}
            },
            {
              "name": "tlsMode-disabled",
              "match": {},
              "transportSocket": {"name": "envoy.transport_sockets.raw_buffer", "typedConfig": {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer"}}
            }
          ],
          "typedExtensionProtocolOptions": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "commonHttpProtocolOptions": {"idleTimeout": "3600s", "maxRequestsPerConnection": 10},
            "useDownstreamProtocolConfig": {"httpProtocolOptions": {}, "http2ProtocolOptions": {}}
          }}
        }
        """.formatted(SDS)));

    long unlimited = 4294967295L;
    OutlierDetection outlier = new OutlierDetection(
        7,                          // consecutive_5xx
        Duration.ofMinutes(5),      // interval
        Duration.ofMinutes(15),     // base_ejection_time
        100,                        // max_ejection_percent
        100,                        // enforcing_consecutive_5xx
        0,                          // enforcing_success_rate
        5, 100, 1900,               // success rate: minimum hosts, request volume, stdev factor
        5, 0,                       // consecutive gateway failure, enforcing
        false, 5, 100, 100,         // local origin: split, consecutive, enforcing consecutive, enforcing success rate
        85, 0, 0, 5, 50,            // failure percentage: threshold, enforcing, enforcing local, min hosts, volume
        Duration.ofMinutes(15),     // max_ejection_time: base_ejection_time, as it is longer than 300s
        Duration.ZERO,              // max_ejection_time_jitter
        true, false);
    TlsContext.Upstream istioMtls = new TlsContext.Upstream(new TlsContext(
        Optional.of(new SecretRef.WorkloadCertificate("default")),
        Optional.of(new SecretRef.RootCertificate("ROOTCA")),
        List.of(new StringMatcher.Exact("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", false)),
        List.of("istio-peer-exchange", "istio")),
        "outbound_.9080_.v1_.reviews.default.svc.cluster.local");
    ClusterConfig expected = new ClusterConfig(
        REVIEWS_V1,
        REVIEWS_V1 + ";",
        new DiscoveryType.Eds(REVIEWS_V1),
        Duration.ofSeconds(10),
        LbPolicy.LeastRequest.DEFAULT,
        new CommonLbConfig(Fraction.NONE, false),
        new CircuitBreakers(
            new CircuitBreakers.Thresholds(unlimited, unlimited, unlimited, unlimited, Optional.empty()),
            CircuitBreakers.Thresholds.DEFAULT),
        Optional.of(outlier),
        Optional.empty(),
        List.of(
            new TransportSocketMatch("tlsMode-istio", Map.of("tlsMode", "istio"), Optional.of(istioMtls)),
            new TransportSocketMatch("tlsMode-disabled", Map.of(), Optional.empty())),
        new UpstreamHttpOptions(UpstreamProtocol.USE_DOWNSTREAM, Duration.ofHours(1), OptionalLong.of(10),
            Optional.empty(), UpstreamHttpOptions.DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS),
        new Metadata(Map.of("istio", Map.of(
            "default_original_port", 9080.0,
            "services", List.of(Map.of(
                "host", "reviews.default.svc.cluster.local", "name", "reviews", "namespace", "default")),
            "subset", "v1"))));
    assertThat(result).isEqualTo(new ParseResult.Valid<>(REVIEWS_V1, expected));

    ClusterConfig cluster = ((ParseResult.Valid<ClusterConfig>) result).resource();
    assertThat(cluster.edsServiceName()).contains(REVIEWS_V1);
    assertThat(cluster.secretRefs()).containsExactly(
        new SecretRef.WorkloadCertificate("default"), new SecretRef.RootCertificate("ROOTCA"));
    // Auto-mTLS: an endpoint labelled tlsMode=istio gets Istio mTLS, any other the catch-all plaintext match.
    assertThat(cluster.tlsFor(new Metadata(Map.of("envoy.transport_socket_match", Map.of("tlsMode", "istio")))))
        .contains(istioMtls);
    assertThat(cluster.tlsFor(Metadata.EMPTY)).isEmpty();
  }

  /** istiod's grpc generator: no connect timeout, ring hash from consistentHash, http2MaxRequests 100, mTLS. */
  @Test
  void grpcGeneratorCluster_certificateProviders_becomesExactRecord() {
    String name = "outbound|7070||echo-app.default.svc.cluster.local";
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster("""
        {
          "name": "outbound|7070||echo-app.default.svc.cluster.local",
          "altStatName": "outbound|7070||echo-app.default.svc.cluster.local;",
          "type": "EDS",
          "edsClusterConfig": {"edsConfig": {"ads": {}},
            "serviceName": "outbound|7070||echo-app.default.svc.cluster.local"},
          "lbPolicy": "RING_HASH",
          "ringHashLbConfig": {"minimumRingSize": "2048"},
          "circuitBreakers": {"thresholds": [{"maxRequests": 100}]},
          "transportSocket": {"name": "envoy.transport_sockets.tls", "typedConfig": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
            "commonTlsContext": {
              "tlsCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
              "tlsCertificateCertificateProviderInstance": {"instanceName": "default", "certificateName": "default"},
              "combinedValidationContext": {
                "defaultValidationContext": {
                  "matchSubjectAltNames": [{"exact": "spiffe://cluster.local/ns/default/sa/echo-app"}],
                  "caCertificateProviderInstance": {"instanceName": "default", "certificateName": "ROOTCA"}
                },
                "validationContextCertificateProviderInstance": {"instanceName": "default",
                  "certificateName": "ROOTCA"}
              }
            }
          }}
        }
        """));

    SecretRef certificate = new SecretRef.ProviderInstance("default/default", "default", "default");
    SecretRef root = new SecretRef.ProviderInstance("default/ROOTCA", "default", "ROOTCA");
    ClusterConfig expected = new ClusterConfig(
        name,
        name + ";",
        new DiscoveryType.Eds(name),
        ClusterConfig.DEFAULT_CONNECT_TIMEOUT,
        new LbPolicy.RingHash(2048, LbPolicy.RingHash.MAX_RING_SIZE, LbPolicy.HashFunction.XX_HASH),
        CommonLbConfig.DEFAULT,
        new CircuitBreakers(new CircuitBreakers.Thresholds(1024, 1024, 100, 3, Optional.empty()),
            CircuitBreakers.Thresholds.DEFAULT),
        Optional.empty(),
        Optional.of(new TlsContext.Upstream(new TlsContext(Optional.of(certificate), Optional.of(root),
            List.of(new StringMatcher.Exact("spiffe://cluster.local/ns/default/sa/echo-app", false)), List.of()),
            "")),
        List.of(),
        UpstreamHttpOptions.DEFAULT,
        Metadata.EMPTY);
    assertThat(result).isEqualTo(new ParseResult.Valid<>(name, expected));
    assertThat(((ParseResult.Valid<ClusterConfig>) result).resource().secretRefs())
        .containsExactly(certificate, root);
  }

  @Test
  void edsCluster_fieldsAbsent_envoyDefaultsApply() {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster("""
        {"name": "outbound|9080||ratings.default.svc.cluster.local", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}}}}
        """));

    String name = "outbound|9080||ratings.default.svc.cluster.local";
    assertThat(result).isEqualTo(new ParseResult.Valid<>(name, new ClusterConfig(name, "",
        new DiscoveryType.Eds(name), Duration.ofSeconds(5), new LbPolicy.RoundRobin(),
        new CommonLbConfig(Fraction.ofPercent(50), false), CircuitBreakers.DEFAULT, Optional.empty(),
        Optional.empty(), List.of(), UpstreamHttpOptions.DEFAULT, Metadata.EMPTY)));
    ClusterConfig cluster = ((ParseResult.Valid<ClusterConfig>) result).resource();
    assertThat(cluster.circuitBreakers().defaultPriority())
        .isEqualTo(new CircuitBreakers.Thresholds(1024, 1024, 1024, 3, Optional.empty()));
    assertThat(cluster.edsServiceName()).contains(name);
    assertThat(cluster.secretRefs()).isEmpty();
  }

  @Test
  void outlierDetection_empty_takesEveryEnvoyDefault() {
    ClusterConfig cluster = valid("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}}, "outlierDetection": {}}
        """);

    assertThat(cluster.outlierDetection()).contains(new OutlierDetection(5, Duration.ofSeconds(10),
        Duration.ofSeconds(30), 10, 100, 100, 5, 100, 1900, 5, 0, false, 5, 100, 100, 85, 0, 0, 5, 50,
        Duration.ofSeconds(300), Duration.ZERO, true, false));
    assertThat(cluster.outlierDetection()).contains(OutlierDetection.DEFAULT);
  }

  @Test
  void outlierDetection_percentAbove100_isNacked() {
    assertThat(error("""
        {"name": "outbound|9080|v1|reviews.default.svc.cluster.local", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}}}, "outlierDetection": {"maxEjectionPercent": 150}}
        """)).isEqualTo("Cluster 'outbound|9080|v1|reviews.default.svc.cluster.local': "
        + "outlier_detection.max_ejection_percent: must be <= 100, was 150");
  }

  @Test
  void outlierDetection_enforcingFailurePercentageAbove100_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "outlierDetection": {"enforcingFailurePercentage": 101}}
        """)).isEqualTo("Cluster 'c': outlier_detection.enforcing_failure_percentage: must be <= 100, was 101");
  }

  @Test
  void outlierDetection_maxEjectionTimeBelowBase_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "outlierDetection": {"baseEjectionTime": "60s", "maxEjectionTime": "10.5s"}}
        """)).isEqualTo("Cluster 'c': outlier_detection.max_ejection_time: must be >= base_ejection_time (60s), "
        + "was 10.5s");
  }

  @Test
  void outlierDetection_zeroInterval_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "outlierDetection": {"interval": "0s"}}
        """)).isEqualTo("Cluster 'c': outlier_detection.interval: must be > 0, was 0s");
  }

  @Test
  void circuitBreakers_highPriorityAndRetryBudget_firstPerPriorityWins() {
    ClusterConfig cluster = valid("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "circuitBreakers": {"thresholds": [
           {"priority": "HIGH", "maxConnections": 10, "retryBudget": {}},
           {"priority": "HIGH", "maxConnections": 20},
           {"maxRetries": 7, "retryBudget": {"budgetPercent": {"value": 25}, "minRetryConcurrency": 1}}
         ]}}
        """);

    assertThat(cluster.circuitBreakers()).isEqualTo(new CircuitBreakers(
        new CircuitBreakers.Thresholds(1024, 1024, 1024, 7,
            Optional.of(new CircuitBreakers.RetryBudget(Fraction.ofPercent(25), 1))),
        new CircuitBreakers.Thresholds(10, 1024, 1024, 3,
            Optional.of(new CircuitBreakers.RetryBudget(Fraction.ofPercent(20), 3)))));
  }

  @Test
  void circuitBreakers_retryBudgetAbove100Percent_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "circuitBreakers": {"thresholds": [{"retryBudget": {"budgetPercent": {"value": 120}}}]}}
        """)).isEqualTo("Cluster 'c': circuit_breakers.thresholds[0].retry_budget.budget_percent.value: "
        + "must be in [0, 100], was 120.0");
  }

  @Test
  void staticCluster_istiodInbound_keepsInlineEndpoints() {
    ClusterConfig cluster = valid("""
        {
          "name": "inbound|9080||",
          "type": "STATIC",
          "connectTimeout": "10s",
          "loadAssignment": {"clusterName": "inbound|9080||", "endpoints": [{"lbEndpoints": [{"endpoint": {
            "address": {"socketAddress": {"address": "127.0.0.1", "portValue": 9080}}}}]}]},
          "metadata": {"filterMetadata": {"istio": {"services": [{"host": "reviews.default.svc.cluster.local",
            "name": "reviews", "namespace": "default"}]}}}
        }
        """);

    assertThat(cluster.discovery()).isEqualTo(new DiscoveryType.Static(new EndpointsConfig("inbound|9080||",
        List.of(new LocalityEndpoints(Locality.EMPTY, 0, 0, List.of(new LbEndpoint(
            new SocketAddress("127.0.0.1", 9080), HealthStatus.UNKNOWN, 1, Metadata.EMPTY, "")))),
        140, List.of())));
    assertThat(cluster.edsServiceName()).isEmpty();
  }

  @Test
  void staticCluster_istiodBlackHole_hasNoEndpoints() {
    ClusterConfig cluster = valid("""
        {"name": "BlackHoleCluster", "type": "STATIC", "connectTimeout": "10s"}
        """);

    assertThat(cluster.discovery()).isEqualTo(new DiscoveryType.Static(EndpointsConfig.empty("BlackHoleCluster")));
  }

  @Test
  void staticCluster_inlinePrioritiesWithGap_isNackedUnderLoadAssignment() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "loadAssignment": {"clusterName": "c", "endpoints": [{"priority": 1}]}}
        """)).isEqualTo("Cluster 'c': load_assignment.endpoints: priorities must be contiguous from 0, missing 0 "
        + "(present: [1])");
  }

  @Test
  void strictDnsCluster_serviceEntry_keepsHostNamesAndDnsSettings() {
    ClusterConfig cluster = valid("""
        {
          "name": "outbound|443||api.example.com",
          "type": "STRICT_DNS",
          "dnsLookupFamily": "V4_ONLY",
          "dnsRefreshRate": "60s",
          "respectDnsTtl": true,
          "loadAssignment": {"clusterName": "outbound|443||api.example.com", "endpoints": [{"lbEndpoints": [{
            "endpoint": {"address": {"socketAddress": {"address": "api.example.com", "portValue": 443}}}}]}]}
        }
        """);

    assertThat(cluster.discovery()).isEqualTo(new DiscoveryType.StrictDns(
        new EndpointsConfig("outbound|443||api.example.com", List.of(new LocalityEndpoints(Locality.EMPTY, 0, 0,
            List.of(new LbEndpoint(new SocketAddress("api.example.com", 443), HealthStatus.UNKNOWN, 1,
                Metadata.EMPTY, "")))), 140, List.of()),
        new DnsSettings(DnsLookupFamily.V4_ONLY, Duration.ofSeconds(60), true)));
  }

  @Test
  void logicalDnsCluster_twoEndpoints_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "LOGICAL_DNS", "loadAssignment": {"clusterName": "c", "endpoints": [{"lbEndpoints": [
          {"endpoint": {"address": {"socketAddress": {"address": "a.example.com", "portValue": 443}}}},
          {"endpoint": {"address": {"socketAddress": {"address": "b.example.com", "portValue": 443}}}}
        ]}]}}
        """)).isEqualTo("Cluster 'c': load_assignment: LOGICAL_DNS clusters must have exactly one locality with "
        + "exactly one endpoint");
  }

  @Test
  void dnsClusterExtension_allAddressesInOneEndpoint_isLogicalDns() {
    ClusterConfig cluster = valid("""
        {"name": "c", "clusterType": {"name": "envoy.cluster.dns", "typedConfig": {
           "@type": "type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster",
           "allAddressesInSingleEndpoint": true, "dnsLookupFamily": "V4_PREFERRED"}},
         "loadAssignment": {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"endpoint": {"address": {
           "socketAddress": {"address": "api.example.com", "portValue": 443}}}}]}]}}
        """);

    assertThat(cluster.discovery()).isInstanceOf(DiscoveryType.LogicalDns.class);
    assertThat(((DiscoveryType.LogicalDns) cluster.discovery()).dns())
        .isEqualTo(new DnsSettings(DnsLookupFamily.V4_PREFERRED, Duration.ofSeconds(5), false));
  }

  @Test
  void dnsCluster_refreshRateOneMillisecond_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STRICT_DNS", "dnsRefreshRate": "0.001s"}
        """)).isEqualTo("Cluster 'c': dns_refresh_rate: must be > 1ms, was 0.001s");
  }

  @Test
  void originalDstCluster_istiodPassthrough_isClusterProvided() {
    ClusterConfig cluster = valid("""
        {"name": "PassthroughCluster", "type": "ORIGINAL_DST", "connectTimeout": "10s",
         "lbPolicy": "CLUSTER_PROVIDED", "circuitBreakers": {"thresholds": [{"maxConnections": 4294967295}]}}
        """);

    assertThat(cluster.discovery()).isEqualTo(new DiscoveryType.OriginalDst());
    assertThat(cluster.lbPolicy()).isEqualTo(new LbPolicy.ClusterProvided());
  }

  @Test
  void originalDstCluster_roundRobin_isNacked() {
    assertThat(error("""
        {"name": "PassthroughCluster", "type": "ORIGINAL_DST"}
        """)).isEqualTo("Cluster 'PassthroughCluster': lb_policy: ORIGINAL_DST clusters need CLUSTER_PROVIDED, "
        + "was ROUND_ROBIN");
  }

  @Test
  void clusterProvided_onEdsCluster_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"ads": {}}}, "lbPolicy": "CLUSTER_PROVIDED"}
        """)).isEqualTo("Cluster 'c': lb_policy: CLUSTER_PROVIDED needs a cluster type that brings its own load "
        + "balancer (ORIGINAL_DST or envoy.clusters.aggregate), was EDS");
  }

  @Test
  void aggregateCluster_listsChildClustersInOrder() {
    ClusterConfig cluster = valid("""
        {"name": "reviews-failover", "lbPolicy": "CLUSTER_PROVIDED", "clusterType": {
           "name": "envoy.clusters.aggregate", "typedConfig": {
             "@type": "type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig",
             "clusters": ["outbound|9080|v1|reviews.default.svc.cluster.local",
                          "outbound|9080|v2|reviews.default.svc.cluster.local"]}}}
        """);

    assertThat(cluster.discovery()).isEqualTo(new DiscoveryType.Aggregate(List.of(REVIEWS_V1,
        "outbound|9080|v2|reviews.default.svc.cluster.local")));
    assertThat(cluster.edsServiceName()).isEmpty();
  }

  @Test
  void aggregateCluster_noChildren_isNacked() {
    assertThat(error("""
        {"name": "c", "clusterType": {"name": "envoy.clusters.aggregate", "typedConfig": {
           "@type": "type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig"}}}
        """)).isEqualTo("Cluster 'c': cluster_type.typed_config.clusters: must not be empty");
  }

  @Test
  void customClusterType_unknown_isNackedNamingTheType() {
    assertThat(error("""
        {"name": "redis", "clusterType": {"name": "envoy.clusters.redis", "typedConfig": {
           "@type": "type.googleapis.com/envoy.extensions.clusters.redis.v3.RedisClusterConfig"}}}
        """)).isEqualTo("Cluster 'redis': cluster_type: unsupported custom cluster type 'envoy.clusters.redis' "
        + "(type.googleapis.com/envoy.extensions.clusters.redis.v3.RedisClusterConfig)");
  }

  @Test
  void edsCluster_restConfigSource_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS", "edsClusterConfig": {"edsConfig": {"apiConfigSource": {"apiType": "REST"}}}}
        """)).isEqualTo("Cluster 'c': eds_cluster_config.eds_config: only ads and self config sources are "
        + "supported, was api_config_source");
  }

  @Test
  void edsCluster_withoutEdsConfig_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "EDS"}
        """)).isEqualTo("Cluster 'c': eds_cluster_config.eds_config: must be set for EDS clusters");
  }

  @Test
  void connectTimeout_zero_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "connectTimeout": "0s"}
        """)).isEqualTo("Cluster 'c': connect_timeout: must be > 0, was 0s");
  }

  @Test
  void transportSocketMatch_unsupportedSocket_isNackedByName() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "transportSocketMatches": [{"name": "tlsMode-istio",
          "transportSocket": {"name": "envoy.transport_sockets.tls", "typedConfig": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"}}}]}
        """)).isEqualTo("Cluster 'c': transport_socket_matches[tlsMode-istio].transport_socket.typed_config: "
        + "unsupported transport socket 'envoy.transport_sockets.tls' of type "
        + "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
  }

  @Test
  void maglev_tableSizeNotPrime_isNacked() {
    assertThat(error("""
        {"name": "outbound|9080|v1|reviews.default.svc.cluster.local", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}}},
         "lbPolicy": "MAGLEV", "maglevLbConfig": {"tableSize": "100"}}
        """)).isEqualTo("Cluster 'outbound|9080|v1|reviews.default.svc.cluster.local': lb_policy MAGLEV: "
        + "table_size must be prime, was 100");
  }

  @Test
  void maglev_tableSizeAboveLimit_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "MAGLEV", "maglevLbConfig": {"tableSize": "5000023"}}
        """)).isEqualTo("Cluster 'c': lb_policy MAGLEV: table_size must be <= 5000011, was 5000023");
  }

  @Test
  void ringHash_minimumAboveMaximum_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "RING_HASH",
         "ringHashLbConfig": {"minimumRingSize": "4096", "maximumRingSize": "2048"}}
        """)).isEqualTo("Cluster 'c': lb_policy RING_HASH: minimum_ring_size must be <= maximum_ring_size, "
        + "was 4096 > 2048");
  }

  @Test
  void ringHash_maximumAbove8M_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "RING_HASH", "ringHashLbConfig": {"maximumRingSize": "8388609"}}
        """)).isEqualTo("Cluster 'c': lb_policy RING_HASH: maximum_ring_size must be <= 8388608, was 8388609");
  }

  @Test
  void ringHash_minimumAbove8M_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "RING_HASH", "ringHashLbConfig": {"minimumRingSize": "9000000"}}
        """)).isEqualTo("Cluster 'c': lb_policy RING_HASH: minimum_ring_size must be <= 8388608, was 9000000");
  }

  @Test
  void leastRequest_choiceCountOne_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "LEAST_REQUEST", "leastRequestLbConfig": {"choiceCount": 1}}
        """)).isEqualTo("Cluster 'c': lb_policy LEAST_REQUEST: choice_count must be >= 2, was 1");
  }

  @Test
  void leastRequest_negativeActiveRequestBias_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "LEAST_REQUEST",
         "leastRequestLbConfig": {"activeRequestBias": {"defaultValue": -0.5, "runtimeKey": "lr.bias"}}}
        """)).isEqualTo("Cluster 'c': lb_policy LEAST_REQUEST: active_request_bias must be a finite number >= 0, "
        + "was -0.5");
  }

  @Test
  void lbPolicyConfig_withoutLoadBalancingPolicy_isNacked() {
    assertThat(error("""
        {"name": "c", "type": "STATIC", "lbPolicy": "LOAD_BALANCING_POLICY_CONFIG"}
        """)).isEqualTo("Cluster 'c': lb_policy: LOAD_BALANCING_POLICY_CONFIG needs load_balancing_policy to be "
        + "set");
  }

  @Test
  void name_empty_isNacked() {
    assertThat(parser.parse(ClusterJson.cluster("{}")))
        .isEqualTo(new ParseResult.Invalid<>("", "Cluster '': name: must not be empty"));
  }

  private ClusterConfig valid(String json) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json));
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ClusterConfig>) result).resource();
  }

  private String error(String json) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json));
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<ClusterConfig>) result).error();
  }
}
