package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What istiod rejects in a DestinationRule beyond its schema, and what the schema itself rejects, exactly. */
class DestinationRuleAnalyzeTest {
  @Test
  void subsets_duplicateOrInvalidNames_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v1, labels: {version: v2}}
          - {name: v_3, labels: {version: "v3*"}}
        """)).containsExactly(
        "test.yaml: DestinationRule bookinfo/reviews: spec.subsets[1].name: duplicate subset name (value: v1)",
        "test.yaml: DestinationRule bookinfo/reviews: spec.subsets[2].name: subset name must be a DNS-1123 label "
            + "(letters, digits, '-'; at most 63) (value: v_3)",
        "test.yaml: DestinationRule bookinfo/reviews: spec.subsets[2].labels[version]: invalid label value \"v3*\" "
            + "(value: v3*)");
  }

  @Test
  void loadBalancer_badEnum_oneofBothSet_andMaglevTableNotPrime_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec:
          host: ratings
          trafficPolicy:
            loadBalancer:
              simple: ROUND_ROBBIN
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy:
              loadBalancer:
                simple: LEAST_REQUEST
                consistentHash: {httpHeaderName: x-user}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              loadBalancer:
                consistentHash:
                  maglev: {tableSize: 100}
        """)).containsExactly(
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.loadBalancer.simple: unsupported value; "
            + "expected one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST "
            + "(value: ROUND_ROBBIN)",
        "test.yaml: DestinationRule default/ratings: spec.subsets[0].trafficPolicy.loadBalancer: only one of simple, "
            + "consistentHash may be set, found simple, consistentHash",
        "test.yaml: DestinationRule default/ratings: spec.subsets[1].trafficPolicy.loadBalancer.consistentHash.maglev"
            + ".tableSize: tableSize must be a prime number for maglev (value: 100)");
  }

  @Test
  void trafficPolicy_emptyOrInconsistent_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec:
          host: ratings
          trafficPolicy:
            outlierDetection:
              consecutiveLocalOriginFailures: 5
              interval: 1m30s
              baseEjectionTime: 30
            connectionPool:
              http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true, idleTimeout: 1.5ms}
            tls: {mode: MUTUAL}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy: {}
        """)).containsExactly(
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.outlierDetection.baseEjectionTime: must be of "
            + "type string, was integer (value: 30)",
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: "
            + "consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true (value: 5)",
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.connectionPool.http.idleTimeout: only "
            + "durations to ms precision are supported (value: 1.5ms)",
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.connectionPool.http.useClientProtocol: "
            + "useClientProtocol cannot be true with h2UpgradePolicy UPGRADE (value: true)",
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.tls.clientCertificate: required for mode MUTUAL "
            + "(or set credentialName)",
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.tls.privateKey: required for mode MUTUAL (or set "
            + "credentialName)",
        "test.yaml: DestinationRule default/ratings: spec.subsets[0].trafficPolicy: a traffic policy needs at least one "
            + "setting (value: {})");
  }

  @Test
  void localityDistribute_weightsNotAddingUp_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec:
          host: ratings.default.svc.cluster.local
          trafficPolicy:
            outlierDetection: {consecutive5xxErrors: 3}
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: us-west/zone1/*
                  to: {"us-west/zone1/*": 70, "us-west/zone2/*": 20}
        """)).containsExactly(
        "test.yaml: DestinationRule default/ratings: spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: "
            + "locality weights must add up to 100, got 90 (value: 90)");
  }

  @Test
  void exportTo_duplicates_andWorkloadSelectorBeyondNamespace_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings, namespace: shop}
        spec:
          host: ratings
          exportTo: [".", "shop", "payments"]
          workloadSelector:
            matchLabels: {app: ratings}
          trafficPolicy:
            tls: {mode: ISTIO_MUTUAL}
        """)).containsExactly(
        "test.yaml: DestinationRule shop/ratings: spec.exportTo[1]: duplicate entry in exportTo: . is the current "
            + "namespace shop (value: shop)",
        "test.yaml: DestinationRule shop/ratings: spec.exportTo[2]: a DestinationRule with a workloadSelector can only "
            + "be exported to its own namespace (value: payments)");
  }
}
