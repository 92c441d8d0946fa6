package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.json;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.named;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.print;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.unpack;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validCluster;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.SocketAddress;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** ServiceEntry variants from Istio's pilot test configs. */
class ServiceEntryClustersTest {
  static PushContext push(String... files) {
    return Proxies.push(Proxies.config(java.util.Arrays.stream(files).map(Proxies.TESTDATA::resolve).toList()),
        List.of());
  }

  static final ProxyView SEEXAMPLES = Proxies.sidecar("seexamples", Map.of("app", "client"), "10.12.0.9");
  static final ProxyView TESTNS = Proxies.sidecar("testns", Map.of("app", "client"), "10.13.0.9");

  @Test
  void seExample_dnsServiceEntryWithEndpoints_isStrictDnsWithInlineEndpointsAndTheirPorts() {
    List<Cluster> clusters = ClusterGenerator.generate(SEEXAMPLES, push("se-example.yaml"));

    Cluster foo = named(clusters, "outbound|8000||foo.bar.com");
    assertThat(foo.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    assertThat(foo.getDnsLookupFamily()).isEqualTo(Cluster.DnsLookupFamily.V4_ONLY);
    assertThat(foo.getDnsRefreshRate().getSeconds()).isEqualTo(60);
    assertThat(foo.getDnsJitter().getNanos()).isEqualTo(100_000_000);
    assertThat(foo.getRespectDnsTtl()).isTrue();
    assertThat(foo.getTypedDnsResolverConfig().getName()).isEqualTo("envoy.network.dns_resolver.cares");
    assertThat(foo.hasEdsClusterConfig()).isFalse();
    assertThat(foo.getTransportSocketMatchesList()).isEmpty();
    assertThat(foo.hasTransportSocket()).isFalse();
    assertThat(foo.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("external").getBoolValue())
        .isTrue();
    assertThat(foo.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("services").getListValue()
        .getValues(0).getStructValue().getFieldsOrThrow("name").getStringValue()).isEqualTo("foo.bar.com");
    LocalityLbEndpoints endpoints = foo.getLoadAssignment().getEndpoints(0);
    assertThat(endpoints.getLbEndpointsList()).extracting(e -> e.getEndpoint().getAddress().getSocketAddress()
        .getAddress() + ":" + e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .containsExactly("us.foo.bar.com:8080", "uk.foo.bar.com:9080", "in.foo.bar.com:7080");
    assertThat(endpoints.getLbEndpoints(0).getMetadata().getFilterMetadataOrThrow("istio")
        .getFieldsOrThrow("workload").getStringValue()).isEqualTo(";;;;Kubernetes");
    ClusterConfig parsed = validCluster(foo);
    var dns = (ClusterConfig.DiscoveryType.StrictDns) parsed.discovery();
    assertThat(dns.dns()).isEqualTo(new ClusterConfig.DnsSettings(ClusterConfig.DnsLookupFamily.V4_ONLY,
        Duration.ofSeconds(60), true));
    assertThat(dns.endpoints().localities().get(0).endpoints()).extracting(e -> e.address())
        .containsExactly(new SocketAddress("us.foo.bar.com", 8080), new SocketAddress("uk.foo.bar.com", 9080),
            new SocketAddress("in.foo.bar.com", 7080));
  }

  @Test
  void seExample_dnsWithoutEndpoints_resolvesTheHostItself_andNoneIsOriginalDst() {
    List<Cluster> clusters = ClusterGenerator.generate(SEEXAMPLES, push("se-example.yaml"));

    Cluster google = named(clusters, "outbound|443||www.googleapis.com");
    assertThat(google.getLoadAssignment()).isEqualTo(json("""
        {"clusterName": "outbound|443||www.googleapis.com", "endpoints": [{"locality": {}, "loadBalancingWeight": 1,
          "lbEndpoints": [{"endpoint": {"address": {"socketAddress": {"address": "www.googleapis.com",
            "portValue": 443}}}, "loadBalancingWeight": 1,
            "metadata": {"filterMetadata": {"istio": {"workload": ";;;;"}}}}]}]}""",
        ClusterLoadAssignment.newBuilder()));
    Cluster wildcard = named(clusters, "outbound|80||*.bar.com");
    assertThat(wildcard.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(wildcard.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
    assertThat(wildcard.hasLoadAssignment()).isFalse();
    assertThat(validCluster(wildcard).discovery()).isInstanceOf(ClusterConfig.DiscoveryType.OriginalDst.class);
    validCluster(google);
  }

  @Test
  void seExample_mutualTlsRule_fileCertificatesSniAndSans() {
    List<Cluster> clusters = ClusterGenerator.generate(SEEXAMPLES, push("se-example.yaml"));

    Cluster mongo = named(clusters, "outbound|27018||mymongodb.somedomain");
    assertThat(mongo.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(mongo.getTransportSocketMatchesList()).isEmpty();
    UpstreamTlsContext tls = unpack(mongo.getTransportSocket().getTypedConfig(), UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("v1.mymongodb.somedomain");
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
        .isEqualTo("file-cert:tests/testdata/certs/default/cert-chain.pem~tests/testdata/certs/default/key.pem");
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
        .getName()).isEqualTo("file-root:tests/testdata/certs/default/root-cert.pem");
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
        .getMatchSubjectAltNames(0).getExact()).isEqualTo("service.mongodb.somedomain");
    assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).isEmpty();
    var istio = mongo.getMetadata().getFilterMetadataOrThrow("istio");
    assertThat(istio.getFieldsOrThrow("alpn_override").getStringValue()).isEqualTo("false");
    assertThat(istio.getFieldsOrThrow("config").getStringValue())
        .isEqualTo("/apis/networking.istio.io/v1/namespaces/seexamples/destination-rule/mtls-mongocluster");
    assertThat(mongo.getTypedExtensionProtocolOptionsMap()).isEmpty();
    ClusterConfig parsed = validCluster(mongo);
    assertThat(parsed.tls().orElseThrow().common().certificate()).contains(new SecretRef.FileCertificate(
        "file-cert:tests/testdata/certs/default/cert-chain.pem~tests/testdata/certs/default/key.pem",
        "tests/testdata/certs/default/cert-chain.pem", "tests/testdata/certs/default/key.pem"));
    assertThat(parsed.tls().orElseThrow().common().validationRoot()).contains(new SecretRef.FileRoot(
        "file-root:tests/testdata/certs/default/root-cert.pem", "tests/testdata/certs/default/root-cert.pem"));
  }

  @Test
  void seExample_internalStaticEntry_autoMtlsWithoutIdentities_andEndpointPortFromTheNamedPort() {
    PushContext push = push("se-example.yaml");
    List<Cluster> clusters = ClusterGenerator.generate(SEEXAMPLES, push);

    Cluster local = named(clusters, "outbound|1200||test.seexamples");
    assertThat(local.getTransportSocketMatchesList()).extracting(Cluster.TransportSocketMatch::getName)
        .containsExactly("tlsMode-istio", "tlsMode-disabled");
    assertThat(local.getTypedExtensionProtocolOptionsMap()).isEmpty();
    ClusterLoadAssignment cla = EndpointGenerator.forCluster(SEEXAMPLES, push, "outbound|1200||test.seexamples");
    var endpoint = cla.getEndpoints(0).getLbEndpoints(0);
    assertThat(endpoint.getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(21200);
    assertThat(endpoint.getMetadata().containsFilterMetadata("envoy.transport_socket_match")).isFalse();
    assertThat(endpoint.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("workload")
        .getStringValue()).isEqualTo(";;;;Kubernetes");
    validEndpoints(cla);
    validCluster(local);
  }

  @Test
  void seExample_unixSocketEndpoint_isAPipe_whichOurClientRefuses() {
    PushContext push = push("se-example.yaml");

    ClusterLoadAssignment cla = EndpointGenerator.forCluster(SEEXAMPLES, push, "outbound|8001||example.unix.local");
    assertThat(cla.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getPipe().getPath())
        .isEqualTo("/var/run/example/socket");
    ParseResult<EndpointsConfig> parsed = new ClusterLoadAssignmentParser().parse(Any.pack(cla));
    assertThat(parsed).isEqualTo(new ParseResult.Invalid<EndpointsConfig>("outbound|8001||example.unix.local",
        "ClusterLoadAssignment 'outbound|8001||example.unix.local': endpoints[0].lb_endpoints[0].endpoint.address: "
            + "only socket_address is supported, was PIPE"));
  }

  @Test
  void staticWeightedSe_localitiesGroupedAndWeighted() {
    ProxyView proxy = Proxies.sidecar("default", Map.of("app", "client"), "10.0.0.9");
    ClusterLoadAssignment cla = EndpointGenerator.forCluster(proxy, push("static-weighted-se.yaml"),
        "outbound|80||weighted.static.svc.cluster.local");

    assertThat(print(cla)).isEqualTo(print(json("""
        {"clusterName": "outbound|80||weighted.static.svc.cluster.local", "endpoints": [
          {"locality": {"region": "a"}, "loadBalancingWeight": 9, "lbEndpoints": [
            {"endpoint": {"address": {"socketAddress": {"address": "3.3.3.3", "portValue": 80}}},
             "loadBalancingWeight": 1, "metadata": {"filterMetadata": {"istio": {"workload": ";;;;Kubernetes"}}}},
            {"endpoint": {"address": {"socketAddress": {"address": "2.2.2.2", "portValue": 80}}},
             "loadBalancingWeight": 8, "metadata": {"filterMetadata": {"istio": {"workload": ";;;;Kubernetes"}}}}]},
          {"locality": {"region": "b"}, "loadBalancingWeight": 3, "lbEndpoints": [
            {"endpoint": {"address": {"socketAddress": {"address": "1.1.1.1", "portValue": 80}}},
             "loadBalancingWeight": 3, "metadata": {"filterMetadata": {"istio": {"workload": ";;;;Kubernetes"}}}}]}]}
        """, ClusterLoadAssignment.newBuilder())));
    EndpointsConfig parsed = validEndpoints(cla);
    assertThat(parsed.localities()).extracting(EndpointsConfig.LocalityEndpoints::loadBalancingWeight)
        .containsExactly(9, 3);
  }

  @Test
  void destinationRuleAll_everyTrafficPolicyPart() {
    PushContext push = push("destination-rule-all.yaml");
    List<Cluster> clusters = ClusterGenerator.generate(TESTNS, push);

    Cluster main = named(clusters, "outbound|81||destall.default.svc.cluster.local");
    assertThat(print(main)).isEqualTo(print(json("""
        {"name": "outbound|81||destall.default.svc.cluster.local", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
           "serviceName": "outbound|81||destall.default.svc.cluster.local"},
         "connectTimeout": "6s", "lbPolicy": "ROUND_ROBIN",
         "circuitBreakers": {"thresholds": [{"maxConnections": 99, "maxPendingRequests": 14, "maxRequests": 33,
           "maxRetries": 4, "trackRemaining": true}]},
         "outlierDetection": {"interval": "0.008s", "baseEjectionTime": "60s", "maxEjectionPercent": 11,
           "enforcingSuccessRate": 0},
         "commonLbConfig": {"healthyPanicThreshold": {}},
         "altStatName": "outbound|81||destall.default.svc.cluster.local;",
         "metadata": {"filterMetadata": {"istio": {
           "services": [{"host": "destall.default.svc.cluster.local", "name": "destall.default.svc.cluster.local",
             "namespace": "testns"}],
           "external": true,
           "config": "/apis/networking.istio.io/v1/namespaces/testns/destination-rule/destall"}}},
         "filters": [{"name": "istio.metadata_exchange", "typedConfig": {
           "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
           "typeUrl": "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange",
           "value": {"protocol": "istio-peer-exchange", "enable_discovery": true}}}],
         "typedExtensionProtocolOptions": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
           "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
           "commonHttpProtocolOptions": {"maxRequestsPerConnection": 65},
           "explicitHttpConfig": {"httpProtocolOptions": {}}}}}
        """, Cluster.newBuilder())));
    Cluster v1 = named(clusters, "outbound|81|v1|destall.default.svc.cluster.local");
    assertThat(v1.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    assertThat(v1.getCircuitBreakers()).isEqualTo(main.getCircuitBreakers());
    Cluster v2 = named(clusters, "outbound|81|v2|destall.default.svc.cluster.local");
    assertThat(v2.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
    assertThat(v2.getRingHashLbConfig().getMinimumRingSize().getValue()).isEqualTo(42);
    assertThat(v2.getConnectTimeout().getSeconds()).isEqualTo(6);

    ClusterConfig parsed = validCluster(main);
    assertThat(parsed.connectTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(parsed.circuitBreakers().defaultPriority().maxConnections()).isEqualTo(99);
    assertThat(parsed.outlierDetection().orElseThrow().interval()).isEqualTo(Duration.ofMillis(8));
    assertThat(parsed.outlierDetection().orElseThrow().maxEjectionPercent()).isEqualTo(11);
    assertThat(parsed.http().maxRequestsPerConnection()).isEqualTo(OptionalLong.of(65));
    assertThat(parsed.commonLbConfig().healthyPanicThreshold()).isEqualTo(Fraction.NONE);
    assertThat(validCluster(v2).lbPolicy()).isInstanceOf(LbPolicy.RingHash.class);
    assertThat(((LbPolicy.RingHash) validCluster(v2).lbPolicy()).minRingSize()).isEqualTo(42);
    ClusterLoadAssignment cla = EndpointGenerator.forCluster(TESTNS, push,
        "outbound|81||destall.default.svc.cluster.local");
    assertThat(cla.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(7072);
    validEndpoints(cla);
  }

  @Test
  void destinationRulePassthrough_wildcardRuleTurnsAServiceIntoOriginalDst() {
    PushContext push = Proxies.push(Proxies.config(List.of(Proxies.TESTDATA.resolve(
        "destination-rule-passthrough.yaml")), """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: api, namespace: testns}
        spec:
          hosts: [api.foo.com]
          ports: [{number: 80, name: http}]
          resolution: STATIC
          endpoints: [{address: 10.1.1.1}]
        """), List.of());

    Cluster api = named(ClusterGenerator.generate(TESTNS, push), "outbound|80||api.foo.com");
    assertThat(api.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
    assertThat(api.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
    assertThat(api.hasEdsClusterConfig()).isFalse();
    validCluster(api);
  }

  @Test
  void destinationRuleSsl_simpleTlsToAnExternalHost_systemRootsAutoSniAndSan() {
    PushContext push = Proxies.push(Proxies.config(List.of(Proxies.TESTDATA.resolve("destination-rule-ssl.yaml")),
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: ssl, namespace: testns}
        spec:
          hosts: [ssl1.webinf.info]
          ports: [{number: 443, name: tcp-tls, protocol: TCP}]
          resolution: DNS
        """), List.of());

    Cluster ssl = named(ClusterGenerator.generate(TESTNS, push), "outbound|443||ssl1.webinf.info");
    assertThat(ssl.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    UpstreamTlsContext tls = unpack(ssl.getTransportSocket().getTypedConfig(), UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEmpty();
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
        .getName()).isEqualTo("file-root:system");
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList()).isEmpty();
    HttpProtocolOptions http = unpack(ssl.getTypedExtensionProtocolOptionsOrThrow(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"), HttpProtocolOptions.class);
    assertThat(http.getUpstreamHttpProtocolOptions().getAutoSni()).isTrue();
    assertThat(http.getUpstreamHttpProtocolOptions().getAutoSanValidation()).isTrue();
    assertThat(http.getExplicitHttpConfig().hasHttpProtocolOptions()).isTrue();
    assertThat(ssl.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("alpn_override")
        .getStringValue()).isEqualTo("false");
    assertThat(validCluster(ssl).tls().orElseThrow().common().validationRoot())
        .contains(new SecretRef.FileRoot("file-root:system", "system"));
  }

  @Test
  void everyGeneratedResource_passesOurParsers_exceptTheUnixSocket() {
    PushContext push = push("se-example.yaml", "external_services.yaml", "static-weighted-se.yaml",
        "destination-rule-all.yaml");
    for (ProxyView proxy : List.of(SEEXAMPLES, TESTNS, Proxies.sidecar("default", Map.of(), "10.0.0.8"))) {
      ClusterGenerator.generate(proxy, push).forEach(XdsAssertions::validCluster);
      EndpointGenerator.generate(proxy, push).stream()
          .filter(a -> !a.getClusterName().endsWith("example.unix.local"))
          .forEach(XdsAssertions::validEndpoints);
    }
  }
}
