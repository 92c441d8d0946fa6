package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.EndpointsConfig.DropOverload;
import dev.inboard.mesh.config.EndpointsConfig.LbEndpoint;
import dev.inboard.mesh.config.EndpointsConfig.LocalityEndpoints;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.HealthStatus;
import dev.inboard.mesh.config.Locality;
import dev.inboard.mesh.config.Metadata;
import dev.inboard.mesh.config.SocketAddress;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterLoadAssignmentParserTest {
  private static final String REVIEWS_V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
  private static final Metadata REVIEWS_V1_METADATA = new Metadata(Map.of(
      "envoy.transport_socket_match", Map.of("tlsMode", "istio"),
      "istio", Map.of("workload", "reviews-v1;default;reviews;v1;Kubernetes")));

  private final ClusterLoadAssignmentParser parser = new ClusterLoadAssignmentParser();

  @Test
  void parser_kindAndTypeUrl_matchEds() {
    assertThat(parser.kind()).isEqualTo("ClusterLoadAssignment");
    assertThat(parser.typeUrl()).isEqualTo("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment");
  }

  @Test
  void istiodAssignment_twoPodsInOneZone_becomesEndpointsWithSharedMetadata() {
    ParseResult<EndpointsConfig> result = parser.parse(ClusterJson.loadAssignment("""
        {
          "clusterName": "outbound|9080|v1|reviews.default.svc.cluster.local",
          "endpoints": [{
            "locality": {"region": "us-central1", "zone": "us-central1-a"},
            "lbEndpoints": [
              {
                "endpoint": {"address": {"socketAddress": {"address": "10.244.1.12", "portValue": 9080}}},
                "healthStatus": "HEALTHY",
                "metadata": {"filterMetadata": {
                  "envoy.transport_socket_match": {"tlsMode": "istio"},
                  "istio": {"workload": "reviews-v1;default;reviews;v1;Kubernetes"}
                }},
                "loadBalancingWeight": 1
              },
              {
                "endpoint": {"address": {"socketAddress": {"address": "10.244.2.7", "portValue": 9080}}},
                "healthStatus": "DRAINING",
                "metadata": {"filterMetadata": {
                  "envoy.transport_socket_match": {"tlsMode": "istio"},
                  "istio": {"workload": "reviews-v1;default;reviews;v1;Kubernetes"}
                }},
                "loadBalancingWeight": 1
              }
            ],
            "loadBalancingWeight": 2
          }]
        }
        """));

    Locality zoneA = new Locality("us-central1", "us-central1-a", "");
    EndpointsConfig expected = new EndpointsConfig(REVIEWS_V1, List.of(new LocalityEndpoints(zoneA, 0, 2, List.of(
        new LbEndpoint(new SocketAddress("10.244.1.12", 9080), HealthStatus.HEALTHY, 1, REVIEWS_V1_METADATA, ""),
        new LbEndpoint(new SocketAddress("10.244.2.7", 9080), HealthStatus.DRAINING, 1, REVIEWS_V1_METADATA, "")))),
        140, List.of());
    assertThat(result).isEqualTo(new ParseResult.Valid<>(REVIEWS_V1, expected));
    List<LbEndpoint> endpoints = ((ParseResult.Valid<EndpointsConfig>) result).resource().localities().get(0)
        .endpoints();
    assertThat(endpoints.get(0).metadata()).isSameAs(endpoints.get(1).metadata());
  }

  @Test
  void assignment_endpointsOfDifferentWorkloads_shareEqualMetadataFilters() {
    ParseResult<EndpointsConfig> result = parser.parse(ClusterJson.loadAssignment("""
        {"clusterName": "outbound|9080||reviews.default.svc.cluster.local", "endpoints": [{"lbEndpoints": [
          {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.1", "portValue": 9080}}},
           "metadata": {"filterMetadata": {"envoy.transport_socket_match": {"tlsMode": "istio"},
             "istio": {"workload": "reviews-v1;default;reviews;v1;Kubernetes"}}}},
          {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.2", "portValue": 9080}}},
           "metadata": {"filterMetadata": {"envoy.transport_socket_match": {"tlsMode": "istio"},
             "istio": {"workload": "reviews-v2;default;reviews;v2;Kubernetes"}}}}
        ]}]}
        """));

    List<LbEndpoint> endpoints = ((ParseResult.Valid<EndpointsConfig>) result).resource().localities().get(0)
        .endpoints();
    Metadata v1 = endpoints.get(0).metadata();
    Metadata v2 = endpoints.get(1).metadata();
    assertThat(v1.string("istio", "workload")).contains("reviews-v1;default;reviews;v1;Kubernetes");
    assertThat(v2.string("istio", "workload")).contains("reviews-v2;default;reviews;v2;Kubernetes");
    assertThat(v1.filterMetadata().get("envoy.transport_socket_match"))
        .isEqualTo(Map.of("tlsMode", "istio"))
        .isSameAs(v2.filterMetadata().get("envoy.transport_socket_match"));
  }

  @Test
  void assignment_fieldsAbsent_envoyDefaultsApply() {
    ParseResult<EndpointsConfig> result = parser.parse(ClusterJson.loadAssignment("""
        {
          "clusterName": "outbound|9080||ratings.default.svc.cluster.local",
          "endpoints": [{"lbEndpoints": [{"endpoint": {"address": {"socketAddress": {"address": "10.0.0.5",
            "portValue": 9080}}}}]}]
        }
        """));

    EndpointsConfig expected = new EndpointsConfig("outbound|9080||ratings.default.svc.cluster.local",
        List.of(new LocalityEndpoints(Locality.EMPTY, 0, 0, List.of(new LbEndpoint(
            new SocketAddress("10.0.0.5", 9080), HealthStatus.UNKNOWN, 1, Metadata.EMPTY, "")))),
        EndpointsConfig.DEFAULT_OVERPROVISIONING_FACTOR, List.of());
    assertThat(result).isEqualTo(new ParseResult.Valid<>("outbound|9080||ratings.default.svc.cluster.local",
        expected));
  }

  @Test
  void assignment_noEndpoints_isValidAndEmpty() {
    assertThat(parser.parse(ClusterJson.loadAssignment("""
        {"clusterName": "outbound|9080|v3|reviews.default.svc.cluster.local"}
        """))).isEqualTo(new ParseResult.Valid<>("outbound|9080|v3|reviews.default.svc.cluster.local",
            EndpointsConfig.empty("outbound|9080|v3|reviews.default.svc.cluster.local")));
  }

  @Test
  void assignment_failoverPrioritiesDropsAndIpv6_areKept() {
    ParseResult<EndpointsConfig> result = parser.parse(ClusterJson.loadAssignment("""
        {
          "clusterName": "outbound|9080||details.default.svc.cluster.local",
          "endpoints": [
            {
              "locality": {"region": "eu-west1", "zone": "eu-west1-b", "subZone": "rack-7"},
              "lbEndpoints": [{
                "endpoint": {"address": {"socketAddress": {"address": "fd00:10:244::12", "portValue": 9080}},
                             "hostname": "details-v1-0"},
                "loadBalancingWeight": 3
              }],
              "loadBalancingWeight": 3
            },
            {
              "locality": {"region": "us-east1", "zone": "us-east1-c"},
              "priority": 1,
              "lbEndpoints": [{
                "endpoint": {"address": {"socketAddress": {"address": "10.8.0.9", "portValue": 9080}}},
                "healthStatus": "DEGRADED"
              }]
            }
          ],
          "policy": {
            "overprovisioningFactor": 100,
            "dropOverloads": [{"category": "throttle", "dropPercentage": {"numerator": 5, "denominator": "HUNDRED"}}]
          }
        }
        """));

    EndpointsConfig expected = new EndpointsConfig("outbound|9080||details.default.svc.cluster.local", List.of(
        new LocalityEndpoints(new Locality("eu-west1", "eu-west1-b", "rack-7"), 0, 3, List.of(new LbEndpoint(
            new SocketAddress("fd00:10:244::12", 9080), HealthStatus.UNKNOWN, 3, Metadata.EMPTY, "details-v1-0"))),
        new LocalityEndpoints(new Locality("us-east1", "us-east1-c", ""), 1, 0, List.of(new LbEndpoint(
            new SocketAddress("10.8.0.9", 9080), HealthStatus.DEGRADED, 1, Metadata.EMPTY, "")))),
        100, List.of(new DropOverload("throttle", new Fraction(50_000))));
    assertThat(result).isEqualTo(new ParseResult.Valid<>("outbound|9080||details.default.svc.cluster.local",
        expected));
  }

  @Test
  void priorities_withGap_areNacked() {
    assertThat(parser.parse(ClusterJson.loadAssignment("""
        {
          "clusterName": "outbound|9080||details.default.svc.cluster.local",
          "endpoints": [
            {"lbEndpoints": [{"endpoint": {"address": {"socketAddress": {"address": "10.0.0.1", "portValue": 9080}}}}]},
            {"priority": 2, "locality": {"zone": "b"},
             "lbEndpoints": [{"endpoint": {"address": {"socketAddress": {"address": "10.0.0.2", "portValue": 9080}}}}]}
          ]
        }
        """))).isEqualTo(new ParseResult.Invalid<>("outbound|9080||details.default.svc.cluster.local",
            "ClusterLoadAssignment 'outbound|9080||details.default.svc.cluster.local': endpoints: priorities must be "
                + "contiguous from 0, missing 1 (present: [0, 2])"));
  }

  @Test
  void priorities_notStartingAtZero_areNacked() {
    assertThat(error("""
        {
          "clusterName": "c",
          "endpoints": [{"priority": 1,
            "lbEndpoints": [{"endpoint": {"address": {"socketAddress": {"address": "10.0.0.1", "portValue": 80}}}}]}]
        }
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints: priorities must be contiguous from 0, missing 0 "
        + "(present: [1])");
  }

  @Test
  void priority_above128_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"priority": 129}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].priority: must be <= 128, was 129");
  }

  @Test
  void endpointWeight_zero_isNacked() {
    assertThat(error("""
        {
          "clusterName": "outbound|9080|v1|reviews.default.svc.cluster.local",
          "endpoints": [{"lbEndpoints": [
            {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.1", "portValue": 9080}}}},
            {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.2", "portValue": 9080}}},
             "loadBalancingWeight": 0}
          ]}]
        }
        """)).isEqualTo("ClusterLoadAssignment 'outbound|9080|v1|reviews.default.svc.cluster.local': "
        + "endpoints[0].lb_endpoints[1].load_balancing_weight: must be >= 1, was 0");
  }

  @Test
  void localityWeight_zero_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"loadBalancingWeight": 0}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].load_balancing_weight: must be >= 1, was 0");
  }

  @Test
  void endpointWeights_overflowingUint32InOneLocality_areNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"lbEndpoints": [
          {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.1", "portValue": 80}}},
           "loadBalancingWeight": 2147483647},
          {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.2", "portValue": 80}}},
           "loadBalancingWeight": 2147483647},
          {"endpoint": {"address": {"socketAddress": {"address": "10.0.0.3", "portValue": 80}}},
           "loadBalancingWeight": 2}
        ]}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].lb_endpoints: sum of endpoint weights must be "
        + "<= 4294967295, was 4294967296");
  }

  @Test
  void namedEndpoint_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"endpointName": "reviews-v1-0"}]}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].lb_endpoints[0].endpoint_name: named endpoints "
        + "are not supported, was 'reviews-v1-0'");
  }

  @Test
  void namedEndpointsMap_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "namedEndpoints": {"reviews-v1-0": {"address": {"socketAddress": {
          "address": "10.0.0.1", "portValue": 80}}}}}
        """)).isEqualTo("ClusterLoadAssignment 'c': named_endpoints: named endpoints are not supported, was "
        + "[reviews-v1-0]");
  }

  @Test
  void endpoint_hostNameInsteadOfIp_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"endpoint": {"address": {"socketAddress": {
          "address": "reviews.default.svc.cluster.local", "portValue": 9080}}}}]}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].lb_endpoints[0].endpoint.address.socket_address"
        + ".address: must be an IP address, was 'reviews.default.svc.cluster.local'");
  }

  @Test
  void endpoint_portZero_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"endpoint": {"address": {"socketAddress": {
          "address": "10.0.0.1"}}}}]}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].lb_endpoints[0].endpoint.address.socket_address"
        + ".port_value: must be in [1, 65535], was 0");
  }

  @Test
  void endpoint_withoutAddress_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"endpoint": {"hostname": "x"}}]}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].lb_endpoints[0].endpoint.address: must be set");
  }

  @Test
  void locality_repeatedAtSamePriority_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [
          {"locality": {"region": "r", "zone": "z"}},
          {"locality": {"region": "r", "zone": "z"}}
        ]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[1].locality: duplicate locality {region=r, zone=z, "
        + "sub_zone=} at priority 0");
  }

  @Test
  void leds_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "endpoints": [{"ledsClusterLocalityConfig": {"ledsCollectionName": "xdstp://x/*"}}]}
        """)).isEqualTo("ClusterLoadAssignment 'c': endpoints[0].leds_cluster_locality_config: LEDS is not "
        + "supported");
  }

  @Test
  void overprovisioningFactor_zero_isNacked() {
    assertThat(error("""
        {"clusterName": "c", "policy": {"overprovisioningFactor": 0}}
        """)).isEqualTo("ClusterLoadAssignment 'c': policy.overprovisioning_factor: must be in [1, 2147483647], "
        + "was 0");
  }

  @Test
  void clusterName_empty_isNacked() {
    assertThat(parser.parse(ClusterJson.loadAssignment("{}")))
        .isEqualTo(new ParseResult.Invalid<>("", "ClusterLoadAssignment '': cluster_name: must not be empty"));
  }

  @Test
  void resource_ofAnotherType_isUnreadable() {
    assertThat(parser.parse(Any.pack(Cluster.newBuilder().setName("c").build())))
        .isEqualTo(new ParseResult.Unreadable<>("ClusterLoadAssignment: unexpected type_url "
            + "'type.googleapis.com/envoy.config.cluster.v3.Cluster', expected "
            + "'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'"));
  }

  private String error(String json) {
    ParseResult<EndpointsConfig> result = parser.parse(ClusterJson.loadAssignment(json));
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<EndpointsConfig>) result).error();
  }
}
