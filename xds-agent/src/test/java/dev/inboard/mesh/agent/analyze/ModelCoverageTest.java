package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Valid fields the agent's spec model does not carry are reported; empty lists and maps are not. */
class ModelCoverageTest {
  @Test
  void fieldTheModelDrops_isReportedRatherThanIgnored() {
    assertThat(Analyze.yaml("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: same-domain, namespace: foo}
        spec:
          rules:
          - from:
            - source: {trustDomains: [cluster.local]}
        """)).containsExactly(
        "test.yaml: AuthorizationPolicy foo/same-domain: spec.rules[0].from[0].source.trustDomains: valid Istio, but "
            + "not supported by this agent (its Istio model does not carry this field) and would be ignored; remove it "
            + "(value: [\"cluster.local\"])");
  }

  @Test
  void emptyListsMapsAndDefaults_areNotReported() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          gateways: []
          exportTo: []
          http:
          - match: []
            headers: {request: {set: {}, remove: []}}
            retries: {attempts: 0}
            route:
            - destination: {host: ratings, port: {number: 9080}}
              weight: 100
          tcp: []
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: ratings}
        spec:
          host: ratings
          subsets: []
          trafficPolicy:
            connectionPool: {tcp: {maxConnections: 0}, http: {http1MaxPendingRequests: 0}}
            outlierDetection: {splitExternalLocalOriginErrors: false, consecutive5xxErrors: 0}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-all}
        spec:
          selector: {matchLabels: {}}
          rules: [{}]
        """)).isEmpty();
  }
}
