package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.json;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.named;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.print;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validCluster;
import static dev.inboard.mesh.agent.xdsgen.XdsAssertions.validEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.BookinfoFixture;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.LbPolicy;
import dev.inboard.mesh.config.SecretRef;
import dev.inboard.mesh.config.StringMatcher;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bookinfo's productpage sidecar with Istio's own Bookinfo DestinationRules. */
class BookinfoClustersTest {
  static final ProxyView PRODUCTPAGE = Proxies.sidecar("default", Map.of("app", "productpage", "version", "v1"),
      "10.0.0.41");

  static PushContext push(String... networkingFiles) {
    List<Path> files = new ArrayList<>(List.of(BookinfoFixture.KUBE));
    for (String f : networkingFiles) {
      files.add(BookinfoFixture.NETWORKING.resolve(f));
    }
    return Proxies.push(Proxies.config(files, BookinfoFixture.WORKLOADS), List.of(BookinfoFixture.PRODUCTPAGE));
  }

  static final String SDS = """
      {"apiConfigSource": {"apiType": "GRPC", "transportApiVersion": "V3", "setNodeOnFirstMessageOnly": true,
        "grpcServices": [{"envoyGrpc": {"clusterName": "sds-grpc"}}]},
       "initialFetchTimeout": "0s", "resourceApiVersion": "V3"}""";

  static String istioMtls(String sni, String san) {
    return """
        {"name": "envoy.transport_sockets.tls", "typedConfig": {
          "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
          "commonTlsContext": {
            "tlsParams": {"tlsMinimumProtocolVersion": "TLSv1_2", "tlsMaximumProtocolVersion": "TLSv1_3"},
            "tlsCertificateSdsSecretConfigs": [{"name": "default", "sdsConfig": %s}],
            "combinedValidationContext": {
              "defaultValidationContext": {"matchSubjectAltNames": [{"exact": "%s"}]},
              "validationContextSdsSecretConfig": {"name": "ROOTCA", "sdsConfig": %s}},
            "alpnProtocols": ["istio-peer-exchange", "istio"]},
          "sni": "%s"}}""".formatted(SDS, san, SDS, sni);
  }

  static final String MX_FILTER = """
      {"name": "istio.metadata_exchange", "typedConfig": {
        "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
        "typeUrl": "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange",
        "value": {"protocol": "istio-peer-exchange", "enable_discovery": true}}}""";

  static final String RAW_BUFFER = """
      {"name": "envoy.transport_sockets.raw_buffer",
       "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer"}}""";

  static final String DEFAULT_CIRCUIT_BREAKERS = """
      {"thresholds": [{"maxConnections": 4294967295, "maxPendingRequests": 4294967295,
        "maxRequests": 4294967295, "maxRetries": 4294967295, "trackRemaining": true}]}""";

  @Test
  void noRules_oneEdsClusterPerService_withAutoMtls_thenDefaultAndInboundClusters() {
    List<Cluster> clusters = ClusterGenerator.generate(PRODUCTPAGE, push());

    assertThat(clusters).extracting(Cluster::getName).containsExactly(
        "outbound|9080||details.default.svc.cluster.local",
        "outbound|9080||productpage.default.svc.cluster.local",
        "outbound|9080||ratings.default.svc.cluster.local",
        "outbound|9080||reviews.default.svc.cluster.local",
        "BlackHoleCluster", "PassthroughCluster", "inbound|9080||", "InboundPassthroughCluster");
    String name = "outbound|9080||reviews.default.svc.cluster.local";
    Cluster expected = json("""
        {"name": "%s", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
           "serviceName": "%s"},
         "connectTimeout": "10s", "lbPolicy": "LEAST_REQUEST",
         "circuitBreakers": %s,
         "commonLbConfig": {},
         "altStatName": "%s;",
         "metadata": {"filterMetadata": {"istio": {"services": [
           {"host": "reviews.default.svc.cluster.local", "name": "reviews", "namespace": "default"}]}}},
         "filters": [%s],
         "transportSocketMatches": [
           {"name": "tlsMode-istio", "match": {"tlsMode": "istio"}, "transportSocket": %s},
           {"name": "tlsMode-disabled", "match": {}, "transportSocket": %s}]}
        """.formatted(name, name, DEFAULT_CIRCUIT_BREAKERS, name, MX_FILTER,
        istioMtls("outbound_.9080_._.reviews.default.svc.cluster.local",
            "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"), RAW_BUFFER), Cluster.newBuilder());
    assertThat(print(named(clusters, name))).isEqualTo(print(expected));
    assertThat(named(clusters, name)).isEqualTo(expected);

    for (Cluster c : clusters) {
      validCluster(c);
    }
    ClusterConfig parsed = validCluster(named(clusters, name));
    assertThat(parsed.lbPolicy()).isInstanceOf(LbPolicy.LeastRequest.class);
    assertThat(parsed.transportSocketMatches()).extracting(ClusterConfig.TransportSocketMatch::name)
        .containsExactly("tlsMode-istio", "tlsMode-disabled");
    var mtls = parsed.transportSocketMatches().get(0).tls().orElseThrow();
    assertThat(mtls.sni()).isEqualTo("outbound_.9080_._.reviews.default.svc.cluster.local");
    assertThat(mtls.common().certificate()).contains(new SecretRef.WorkloadCertificate("default"));
    assertThat(mtls.common().validationRoot()).contains(new SecretRef.RootCertificate("ROOTCA"));
    assertThat(mtls.common().subjectAltNameMatchers()).containsExactly(
        new StringMatcher.Exact("spiffe://cluster.local/ns/default/sa/bookinfo-reviews", false));
    assertThat(parsed.transportSocketMatches().get(1).tls()).isEmpty();
    assertThat(parsed.circuitBreakers().defaultPriority().maxRetries()).isEqualTo(4294967295L);
  }

  @Test
  void destinationRuleAll_subsetClustersAsIstioNamesThem() {
    List<Cluster> clusters = ClusterGenerator.generate(PRODUCTPAGE, push("destination-rule-all.yaml"));

    assertThat(clusters).extracting(Cluster::getName).containsExactly(
        "outbound|9080||details.default.svc.cluster.local",
        "outbound|9080|v1|details.default.svc.cluster.local",
        "outbound|9080|v2|details.default.svc.cluster.local",
        "outbound|9080||productpage.default.svc.cluster.local",
        "outbound|9080|v1|productpage.default.svc.cluster.local",
        "outbound|9080||ratings.default.svc.cluster.local",
        "outbound|9080|v1|ratings.default.svc.cluster.local",
        "outbound|9080|v2|ratings.default.svc.cluster.local",
        "outbound|9080|v2-mysql|ratings.default.svc.cluster.local",
        "outbound|9080|v2-mysql-vm|ratings.default.svc.cluster.local",
        "outbound|9080||reviews.default.svc.cluster.local",
        "outbound|9080|v1|reviews.default.svc.cluster.local",
        "outbound|9080|v2|reviews.default.svc.cluster.local",
        "outbound|9080|v3|reviews.default.svc.cluster.local",
        "BlackHoleCluster", "PassthroughCluster", "inbound|9080||", "InboundPassthroughCluster");
    String name = "outbound|9080|v2|reviews.default.svc.cluster.local";
    Cluster expected = json("""
        {"name": "%s", "type": "EDS",
         "edsClusterConfig": {"edsConfig": {"ads": {}, "initialFetchTimeout": "0s", "resourceApiVersion": "V3"},
           "serviceName": "%s"},
         "connectTimeout": "10s", "lbPolicy": "LEAST_REQUEST",
         "circuitBreakers": %s,
         "commonLbConfig": {},
         "altStatName": "%s;",
         "metadata": {"filterMetadata": {"istio": {
           "services": [{"host": "reviews.default.svc.cluster.local", "name": "reviews", "namespace": "default"}],
           "config": "/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews",
           "subset": "v2"}}},
         "filters": [%s],
         "transportSocketMatches": [
           {"name": "tlsMode-istio", "match": {"tlsMode": "istio"}, "transportSocket": %s},
           {"name": "tlsMode-disabled", "match": {}, "transportSocket": %s}]}
        """.formatted(name, name, DEFAULT_CIRCUIT_BREAKERS, name, MX_FILTER,
        istioMtls("outbound_.9080_.v2_.reviews.default.svc.cluster.local",
            "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"), RAW_BUFFER), Cluster.newBuilder());
    assertThat(print(named(clusters, name))).isEqualTo(print(expected));
    clusters.forEach(XdsAssertions::validCluster);
    assertThat(named(clusters, "outbound|9080||reviews.default.svc.cluster.local").getMetadata()
        .getFilterMetadataOrThrow("istio").getFieldsOrThrow("config").getStringValue())
        .isEqualTo("/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews");
  }

  @Test
  void destinationRuleAllMtls_istioMutualFromTheRule_isOneTlsSocketWithTheSubsetSni() {
    List<Cluster> clusters = ClusterGenerator.generate(PRODUCTPAGE, push("destination-rule-all-mtls.yaml"));

    Cluster v3 = named(clusters, "outbound|9080|v3|reviews.default.svc.cluster.local");
    assertThat(v3.getTransportSocketMatchesList()).isEmpty();
    assertThat(print(v3.getTransportSocket())).isEqualTo(print(json(istioMtls(
        "outbound_.9080_.v3_.reviews.default.svc.cluster.local",
        "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"),
        io.envoyproxy.envoy.config.core.v3.TransportSocket.newBuilder())));
    Cluster details = named(clusters, "outbound|9080||details.default.svc.cluster.local");
    assertThat(details.getTransportSocketMatchesList()).isEmpty();
    assertThat(details.getMetadata().getFilterMetadataOrThrow("istio").containsFields("alpn_override")).isFalse();
    ClusterConfig parsed = validCluster(v3);
    assertThat(parsed.tls().orElseThrow().sni()).isEqualTo("outbound_.9080_.v3_.reviews.default.svc.cluster.local");
    assertThat(parsed.transportSocketMatches()).isEmpty();
    clusters.forEach(XdsAssertions::validCluster);
  }

  @Test
  void destinationRuleReviews_randomForTheServiceAndEverySubset() {
    List<Cluster> clusters = ClusterGenerator.generate(PRODUCTPAGE, push("destination-rule-reviews.yaml"));

    for (String subset : List.of("", "v1", "v2", "v3")) {
      Cluster c = named(clusters, "outbound|9080|" + subset + "|reviews.default.svc.cluster.local");
      assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
      assertThat(validCluster(c).lbPolicy()).isInstanceOf(LbPolicy.Random.class);
    }
    assertThat(named(clusters, "outbound|9080||ratings.default.svc.cluster.local").getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
  }

  @Test
  void endpoints_splitBySubsetLabels_withIstioWorkloadMetadata() {
    List<ClusterLoadAssignment> assignments =
        EndpointGenerator.generate(PRODUCTPAGE, push("destination-rule-all.yaml"));

    assertThat(assignments).extracting(ClusterLoadAssignment::getClusterName).containsExactly(
        "outbound|9080||details.default.svc.cluster.local",
        "outbound|9080|v1|details.default.svc.cluster.local",
        "outbound|9080|v2|details.default.svc.cluster.local",
        "outbound|9080||productpage.default.svc.cluster.local",
        "outbound|9080|v1|productpage.default.svc.cluster.local",
        "outbound|9080||ratings.default.svc.cluster.local",
        "outbound|9080|v1|ratings.default.svc.cluster.local",
        "outbound|9080|v2|ratings.default.svc.cluster.local",
        "outbound|9080|v2-mysql|ratings.default.svc.cluster.local",
        "outbound|9080|v2-mysql-vm|ratings.default.svc.cluster.local",
        "outbound|9080||reviews.default.svc.cluster.local",
        "outbound|9080|v1|reviews.default.svc.cluster.local",
        "outbound|9080|v2|reviews.default.svc.cluster.local",
        "outbound|9080|v3|reviews.default.svc.cluster.local");
    ClusterLoadAssignment v2 = assignments.stream()
        .filter(a -> a.getClusterName().equals("outbound|9080|v2|reviews.default.svc.cluster.local")).findFirst()
        .orElseThrow();
    ClusterLoadAssignment expected = json("""
        {"clusterName": "outbound|9080|v2|reviews.default.svc.cluster.local",
         "endpoints": [{"locality": {}, "loadBalancingWeight": 1, "lbEndpoints": [{
           "endpoint": {"address": {"socketAddress": {"address": "10.0.0.32", "portValue": 9080}}},
           "loadBalancingWeight": 1,
           "metadata": {"filterMetadata": {
             "envoy.transport_socket_match": {"tlsMode": "istio"},
             "istio": {"workload": "reviews-v2;default;reviews;v2;Kubernetes"}}}}]}]}
        """, ClusterLoadAssignment.newBuilder());
    assertThat(print(v2)).isEqualTo(print(expected));
    ClusterLoadAssignment all = assignments.get(10);
    assertThat(all.getEndpoints(0).getLbEndpointsList()).extracting(e -> e.getEndpoint().getAddress()
        .getSocketAddress().getAddress()).containsExactly("10.0.0.31", "10.0.0.32", "10.0.0.33");
    assertThat(all.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(3);
    assertThat(assignments.get(8).getEndpointsList()).isEmpty();
    for (ClusterLoadAssignment a : assignments) {
      EndpointsConfig parsed = validEndpoints(a);
      assertThat(parsed.clusterName()).isEqualTo(a.getClusterName());
    }
    EndpointsConfig parsedV2 = validEndpoints(v2);
    assertThat(parsedV2.localities().get(0).endpoints().get(0).metadata().filterMetadata())
        .containsEntry("envoy.transport_socket_match", Map.of("tlsMode", "istio"));
  }

  @Test
  void endpoints_forOneClusterName_matchTheFullGeneration() {
    PushContext push = push("destination-rule-all.yaml");

    ClusterLoadAssignment one = EndpointGenerator.forCluster(PRODUCTPAGE, push,
        "outbound|9080|v1|details.default.svc.cluster.local");
    assertThat(one).isEqualTo(EndpointGenerator.generate(PRODUCTPAGE, push).get(1));
    assertThat(EndpointGenerator.forCluster(PRODUCTPAGE, push, "outbound|9999||details.default.svc.cluster.local"))
        .isEqualTo(ClusterLoadAssignment.newBuilder()
            .setClusterName("outbound|9999||details.default.svc.cluster.local").build());
  }

  @Test
  void inboundCluster_forTheProxysOwnServicePort_originalDstFromTheInboundBindAddress() {
    Cluster inbound = named(ClusterGenerator.generate(PRODUCTPAGE, push()), "inbound|9080||");

    Cluster expected = json("""
        {"name": "inbound|9080||", "type": "ORIGINAL_DST", "connectTimeout": "10s", "lbPolicy": "CLUSTER_PROVIDED",
         "circuitBreakers": %s, "commonLbConfig": {}, "altStatName": "inbound|9080||;",
         "cleanupInterval": "9223372035s",
         "upstreamBindConfig": {"sourceAddress": {"address": "127.0.0.6", "portValue": 0}},
         "metadata": {"filterMetadata": {"istio": {"services": [
           {"host": "productpage.default.svc.cluster.local", "name": "productpage", "namespace": "default"}]}}}}
        """.formatted(DEFAULT_CIRCUIT_BREAKERS), Cluster.newBuilder());
    assertThat(print(inbound)).isEqualTo(print(expected));
    assertThat(validCluster(inbound).discovery()).isInstanceOf(ClusterConfig.DiscoveryType.OriginalDst.class);
  }

  @Test
  void defaultClusters_blackHoleAndPassthroughs() {
    List<Cluster> clusters = ClusterGenerator.generate(PRODUCTPAGE, push());

    assertThat(print(named(clusters, "BlackHoleCluster"))).isEqualTo(print(json("""
        {"name": "BlackHoleCluster", "type": "STATIC", "connectTimeout": "10s", "lbPolicy": "ROUND_ROBIN",
         "altStatName": "BlackHoleCluster;"}""", Cluster.newBuilder())));
    String passthrough = """
        {"name": "%s", "type": "ORIGINAL_DST", "connectTimeout": "10s", "lbPolicy": "CLUSTER_PROVIDED",
         "circuitBreakers": %s, "altStatName": "PassthroughCluster;",
         "typedExtensionProtocolOptions": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
           "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
           "commonHttpProtocolOptions": {"idleTimeout": "300s"},
           "useDownstreamProtocolConfig": {"httpProtocolOptions": {}, "http2ProtocolOptions": {}}}}
         %s}""";
    assertThat(print(named(clusters, "PassthroughCluster"))).isEqualTo(print(json(passthrough.formatted(
        "PassthroughCluster", DEFAULT_CIRCUIT_BREAKERS, ", \"filters\": [" + MX_FILTER + "]"), Cluster.newBuilder())));
    assertThat(print(named(clusters, "InboundPassthroughCluster"))).isEqualTo(print(json(passthrough.formatted(
        "InboundPassthroughCluster", DEFAULT_CIRCUIT_BREAKERS,
        ", \"upstreamBindConfig\": {\"sourceAddress\": {\"address\": \"127.0.0.6\", \"portValue\": 0}}"),
        Cluster.newBuilder())));
  }
}
