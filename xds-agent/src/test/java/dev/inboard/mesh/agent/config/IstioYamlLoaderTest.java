package dev.inboard.mesh.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IstioYamlLoaderTest {
  static final Path BOOKINFO = Path.of("src/test/resources/istio/bookinfo");

  @Test
  void multiDocument_anyVersion_loadsSpecsIntoFabric8Model() {
    var result = IstioYamlLoader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - match:
            - headers:
                end-user:
                  exact: jason
            route:
            - destination: {host: reviews, subset: v2}
          - route:
            - destination: {host: reviews, subset: v3}
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          host: reviews
          subsets:
          - {name: v2, labels: {version: v2}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, labels: {app: reviews}}
        spec:
          ports: [{port: 9080, name: http}]
          selector: {app: reviews}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews-v1}
        """, "reviews.yaml");

    assertThat(result.problems()).isEmpty();
    assertThat(result.resources()).extracting(ConfigResource::key)
        .containsExactly("VirtualService/default/reviews", "DestinationRule/bookinfo/reviews",
            "Service/default/reviews");
    assertThat(result.toConfigSet().kubernetesServices().get(0).spec().getSelector()).containsEntry("app", "reviews");
    var vs = result.toConfigSet().virtualServices().get(0);
    assertThat(vs.source()).isEqualTo(new ConfigResource.Source("reviews.yaml", 0));
    var match = vs.spec().getHttp().get(0).getMatch().get(0).getHeaders().get("end-user");
    assertThat(match.getMatchType()).isInstanceOf(StringMatchExact.class);
    assertThat(((StringMatchExact) match.getMatchType()).getExact()).isEqualTo("jason");
    assertThat(result.notes()).containsExactly("reviews.yaml (document 4): skipped Deployment default/reviews-v1 (not an Istio kind)");
  }

  @Test
  void problems_nameFileResourceAndField() {
    var result = IstioYamlLoader.loadString("""
        apiVersion: networking.istio.io/v1
        kind: VirtualServce
        metadata: {name: typo}
        ---
        apiVersion: security.istio.io/v1alpha1
        kind: PeerAuthentication
        metadata: {name: old}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: bad}
        spec:
          host: reviews
          subsets: 3
        """, "bad.yaml");

    assertThat(result.resources()).isEmpty();
    assertThat(result.problems()).extracting(ConfigProblem::toString).containsExactly(
        "bad.yaml: VirtualServce default/typo: kind: unknown kind for networking.istio.io; known: [VirtualService,"
            + " DestinationRule, ServiceEntry, WorkloadEntry, Sidecar] (value: VirtualServce)",
        "bad.yaml (document 2): PeerAuthentication default/old: apiVersion: unsupported version of"
            + " PeerAuthentication; use one of [security.istio.io/v1, security.istio.io/v1beta1]"
            + " (value: security.istio.io/v1alpha1)",
        "bad.yaml (document 3): DestinationRule default/bad: spec.subsets: " + result.problems().get(2).message());
    assertThat(result.problems().get(2).message()).contains("Cannot deserialize");
  }

  @Test
  void invalidYaml_namesLineAndColumn() {
    var result = IstioYamlLoader.loadString("apiVersion: [unclosed\n", "x.yaml");

    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).toString()).startsWith("x.yaml: invalid YAML at line ");
  }

  @Test
  void bookinfoNetworkingSamples_allLoadWithoutProblems() {
    var result = IstioYamlLoader.load(List.of(BOOKINFO.resolve("networking")));

    assertThat(result.problems()).isEmpty();
    assertThat(result.toConfigSet().virtualServices()).isNotEmpty();
    assertThat(result.notes()).anyMatch(n -> n.contains("skipped Gateway default/bookinfo-gateway"));
  }

  @Test
  void documentsOfAppliedKinds_keptAsWritten_withWhatTheSpecModelLoses() {
    var result = IstioYamlLoader.loadString("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: strict, namespace: foo}
        spec:
          mtls: {mode: BLAH}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow}
        spec:
          rules:
          - from:
            - source: {trustDomains: [cluster.local]}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews}
        """, "mixed.yaml");

    assertThat(result.documents()).extracting(IstioYamlLoader.Document::displayName, IstioYamlLoader.Document::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("PeerAuthentication foo/strict", new ConfigResource.Source("mixed.yaml", 0)),
            org.assertj.core.groups.Tuple.tuple("AuthorizationPolicy default/allow",
                new ConfigResource.Source("mixed.yaml", 1)));
    assertThat(result.documents().get(0).json().path("spec").path("mtls").path("mode").asText()).isEqualTo("BLAH");
    assertThat(result.documents().get(0).version()).isEqualTo("v1");
    assertThat(result.documents().get(1).json().at("/spec/rules/0/from/0/source/trustDomains/0").asText())
        .isEqualTo("cluster.local");
    // The spec model reads both documents but loses what validation must see: the bad enum value, the field it
    // does not know.
    assertThat(result.problems()).isEmpty();
    assertThat(result.toConfigSet().peerAuthentications().get(0).spec().getMtls().getMode()).isNull();
    assertThat(result.toConfigSet().authorizationPolicies().get(0).spec().getRules().get(0).getFrom().get(0)
        .getSource().getAdditionalProperties()).containsKey("trustDomains");
  }
}
