package dev.inboard.mesh.xds.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.ClusterConfig.CommonLbConfig;
import dev.inboard.mesh.config.Fraction;
import dev.inboard.mesh.config.LbPolicy;
import org.junit.jupiter.api.Test;

/** Load-balancing policies of clusters: the {@code lb_policy} enum and the typed {@code load_balancing_policy}. */
class ClusterLoadBalancingTest {
  private static final String LB_PREFIX = "type.googleapis.com/envoy.extensions.load_balancing_policies.";

  private final ClusterParser parser = new ClusterParser();

  @Test
  void lbPolicyEnum_configsGiven_areConverted() {
    assertThat(policy("""
        "lbPolicy": "LEAST_REQUEST",
        "leastRequestLbConfig": {"choiceCount": 3, "activeRequestBias": {"defaultValue": 0.5, "runtimeKey": "k"}}
        """)).isEqualTo(new LbPolicy.LeastRequest(3, 0.5));
    assertThat(policy("""
        "lbPolicy": "RING_HASH",
        "ringHashLbConfig": {"minimumRingSize": "64", "maximumRingSize": "4096", "hashFunction": "MURMUR_HASH_2"}
        """)).isEqualTo(new LbPolicy.RingHash(64, 4096, LbPolicy.HashFunction.MURMUR_HASH_2));
    assertThat(policy("""
        "lbPolicy": "MAGLEV", "maglevLbConfig": {"tableSize": "5000011"}
        """)).isEqualTo(new LbPolicy.Maglev(5000011));
    assertThat(policy("""
        "lbPolicy": "RANDOM"
        """)).isEqualTo(new LbPolicy.Random());
  }

  @Test
  void lbPolicyEnum_configsAbsent_envoyDefaultsApply() {
    assertThat(policy("""
        "lbPolicy": "LEAST_REQUEST"
        """)).isEqualTo(new LbPolicy.LeastRequest(2, 1.0));
    assertThat(policy("""
        "lbPolicy": "RING_HASH"
        """)).isEqualTo(new LbPolicy.RingHash(1024, 8388608, LbPolicy.HashFunction.XX_HASH));
    assertThat(policy("""
        "lbPolicy": "MAGLEV"
        """)).isEqualTo(new LbPolicy.Maglev(65537));
  }

  @Test
  void lbPolicyEnum_configOfAnotherPolicy_isIgnored() {
    assertThat(policy("""
        "lbPolicy": "ROUND_ROBIN", "maglevLbConfig": {"tableSize": "100"}
        """)).isEqualTo(new LbPolicy.RoundRobin());
  }

  @Test
  void loadBalancingPolicy_firstSupportedWins_andWrrLocalityIsUnwrapped() {
    ClusterConfig cluster = cluster("""
        "lbPolicy": "ROUND_ROBIN",
        "loadBalancingPolicy": {"policies": [
          {"typedExtensionConfig": {"name": "cswrr", "typedConfig": {
            "@type": "%1$sclient_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin"}}},
          {"typedExtensionConfig": {"name": "wrr_locality", "typedConfig": {
            "@type": "%1$swrr_locality.v3.WrrLocality",
            "endpointPickingPolicy": {"policies": [
              {"typedExtensionConfig": {"name": "ring_hash", "typedConfig": {
                "@type": "%1$sring_hash.v3.RingHash", "minimumRingSize": "10", "hashFunction": "MURMUR_HASH_2"}}}
            ]}}}},
          {"typedExtensionConfig": {"name": "rr", "typedConfig": {"@type": "%1$sround_robin.v3.RoundRobin"}}}
        ]}
        """.formatted(LB_PREFIX));

    assertThat(cluster.lbPolicy()).isEqualTo(new LbPolicy.RingHash(10, 8388608, LbPolicy.HashFunction.MURMUR_HASH_2));
    assertThat(cluster.commonLbConfig()).isEqualTo(new CommonLbConfig(Fraction.ofPercent(50), true));
  }

  @Test
  void loadBalancingPolicy_typedPolicies_areConvertedWithDefaults() {
    assertThat(typedPolicy("least_request.v3.LeastRequest", "")).isEqualTo(LbPolicy.LeastRequest.DEFAULT);
    assertThat(typedPolicy("least_request.v3.LeastRequest", ", \"choiceCount\": 4"))
        .isEqualTo(new LbPolicy.LeastRequest(4, 1.0));
    assertThat(typedPolicy("maglev.v3.Maglev", "")).isEqualTo(LbPolicy.Maglev.DEFAULT);
    assertThat(typedPolicy("ring_hash.v3.RingHash", "")).isEqualTo(LbPolicy.RingHash.DEFAULT);
    assertThat(typedPolicy("random.v3.Random", "")).isEqualTo(new LbPolicy.Random());
    assertThat(typedPolicy("round_robin.v3.RoundRobin", "")).isEqualTo(new LbPolicy.RoundRobin());
  }

  @Test
  void loadBalancingPolicy_localityWeightedRoundRobin_setsLocalityWeighted() {
    ClusterConfig cluster = cluster("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "rr", "typedConfig": {
          "@type": "%sround_robin.v3.RoundRobin", "localityLbConfig": {"localityWeightedLbConfig": {}}}}}]}
        """.formatted(LB_PREFIX));

    assertThat(cluster.commonLbConfig().localityWeighted()).isTrue();
  }

  @Test
  void loadBalancingPolicy_noneSupported_isNacked() {
    assertThat(error("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "cswrr", "typedConfig": {
          "@type": "%sclient_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin"}}}]}
        """.formatted(LB_PREFIX))).isEqualTo("Cluster 'c': load_balancing_policy: no supported load balancing "
        + "policy, was [" + LB_PREFIX + "client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin]");
  }

  @Test
  void loadBalancingPolicy_maglevNotPrime_isNackedWithPath() {
    assertThat(error("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "maglev", "typedConfig": {
          "@type": "%smaglev.v3.Maglev", "tableSize": "100"}}}]}
        """.formatted(LB_PREFIX))).isEqualTo("Cluster 'c': load_balancing_policy.policies[0].typed_extension_config"
        + ".typed_config: table_size must be prime, was 100");
  }

  @Test
  void loadBalancingPolicy_ringHashMinimumZero_isNacked() {
    assertThat(error("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "rh", "typedConfig": {
          "@type": "%sring_hash.v3.RingHash", "minimumRingSize": "0"}}}]}
        """.formatted(LB_PREFIX))).isEqualTo("Cluster 'c': load_balancing_policy.policies[0].typed_extension_config"
        + ".typed_config: minimum_ring_size must be >= 1, was 0");
  }

  @Test
  void loadBalancingPolicy_wrrLocalityWithoutChild_isNacked() {
    assertThat(error("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "wrr", "typedConfig": {
          "@type": "%swrr_locality.v3.WrrLocality"}}}]}
        """.formatted(LB_PREFIX))).isEqualTo("Cluster 'c': load_balancing_policy.policies[0].typed_extension_config"
        + ".typed_config.endpoint_picking_policy: must be set");
  }

  @Test
  void loadBalancingPolicy_clusterProvidedOnEds_isNacked() {
    assertThat(error("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "cp", "typedConfig": {
          "@type": "%scluster_provided.v3.ClusterProvided"}}}]}
        """.formatted(LB_PREFIX))).isEqualTo("Cluster 'c': load_balancing_policy: CLUSTER_PROVIDED needs a cluster "
        + "type that brings its own load balancer (ORIGINAL_DST or envoy.clusters.aggregate), was EDS");
  }

  @Test
  void commonLbConfig_panicThresholdAndLocalityWeights_areKept() {
    ClusterConfig cluster = cluster("""
        "commonLbConfig": {"healthyPanicThreshold": {"value": 30}, "localityWeightedLbConfig": {}}
        """);

    assertThat(cluster.commonLbConfig()).isEqualTo(new CommonLbConfig(new Fraction(300_000), true));
  }

  @Test
  void commonLbConfig_panicThresholdAbove100_isNacked() {
    assertThat(error("""
        "commonLbConfig": {"healthyPanicThreshold": {"value": 101}}
        """)).isEqualTo("Cluster 'c': common_lb_config.healthy_panic_threshold.value: must be in [0, 100], was 101.0");
  }

  private LbPolicy typedPolicy(String type, String fields) {
    return cluster("""
        "loadBalancingPolicy": {"policies": [{"typedExtensionConfig": {"name": "p", "typedConfig": {
          "@type": "%s%s"%s}}}]}
        """.formatted(LB_PREFIX, type, fields)).lbPolicy();
  }

  private LbPolicy policy(String fields) {
    return cluster(fields).lbPolicy();
  }

  /** An EDS cluster named {@code c} with {@code fields} added. */
  private ClusterConfig cluster(String fields) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json(fields)));
    assertThat(result).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid<ClusterConfig>) result).resource();
  }

  private String error(String fields) {
    ParseResult<ClusterConfig> result = parser.parse(ClusterJson.cluster(json(fields)));
    assertThat(result).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<ClusterConfig>) result).error();
  }

  private static String json(String fields) {
    return "{\"name\": \"c\", \"type\": \"EDS\", \"edsClusterConfig\": {\"edsConfig\": {\"ads\": {}}},\n"
        + fields + "}";
  }
}
