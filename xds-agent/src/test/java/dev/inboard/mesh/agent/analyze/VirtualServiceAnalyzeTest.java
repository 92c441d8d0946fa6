package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigProblem;
import org.junit.jupiter.api.Test;

/** What istiod's webhook rejects in a VirtualService beyond its schema, with exact messages. */
class VirtualServiceAnalyzeTest {
  private static final String REVIEWS_RULE = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        subsets:
        - {name: v1, labels: {version: v1}}
        - {name: v2, labels: {version: v2}}
        - {name: v3, labels: {version: v3}}
      ---
      """;

  @Test
  void weights_notAddingUpTo100_areRejectedWithTheirSum() {
    var problems = Analyze.problems(REVIEWS_RULE + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 80
            - destination: {host: reviews, subset: v2}
              weight: 10
        """);

    assertThat(problems).containsExactly(new ConfigProblem("test.yaml (document 2)", "VirtualService default/reviews",
        "spec.http[0].route", "90", "weights must add up to 100, got 90 (80+10)"));
    assertThat(problems.get(0).toString()).isEqualTo("test.yaml (document 2): VirtualService default/reviews: "
        + "spec.http[0].route: weights must add up to 100, got 90 (80+10) (value: 90)");
  }

  @Test
  void weights_splitWithoutWeights_orOneWeightedDestination_areRejected() {
    assertThat(Analyze.yaml(REVIEWS_RULE + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
            - destination: {host: reviews, subset: v2}
          tcp:
          - route:
            - destination: {host: reviews, subset: v3}
              weight: 50
        """)).containsExactly(
        "test.yaml (document 2): VirtualService default/reviews: spec.http[0].route: weights must add up to 100, "
            + "got 0 (0+0) (value: 0)",
        "test.yaml (document 2): VirtualService default/reviews: spec.tcp[0].route: weights must add up to 100, "
            + "got 50 (value: 50)");
  }

  @Test
  void weights_addingUpTo100_orSingleUnweightedDestination_areAccepted() {
    assertThat(Analyze.yaml(REVIEWS_RULE + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route:
            - destination: {host: reviews, subset: v2}
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 75
            - destination: {host: reviews, subset: v3}
              weight: 25
        """)).isEmpty();
  }

  @Test
  void regex_notRe2_isRejectedInUriHeadersQueryParamsAndAuthority() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - match:
            - uri: {regex: "/api/(v1"}
              headers:
                x-user: {regex: "(?=admin).*"}
              queryParams:
                id: {regex: "[0-9"}
              authority: {regex: "a**"}
            route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].match[0].uri.regex: invalid RE2 regex: missing "
            + "closing ); Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax) (value: /api/(v1)",
        "test.yaml: VirtualService default/ratings: spec.http[0].match[0].authority.regex: invalid RE2 regex: "
            + "invalid nested repetition operator; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax) "
            + "(value: a**)",
        "test.yaml: VirtualService default/ratings: spec.http[0].match[0].headers[x-user].regex: invalid RE2 regex: "
            + "invalid or unsupported Perl syntax; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax) "
            + "(value: (?=admin).*)",
        "test.yaml: VirtualService default/ratings: spec.http[0].match[0].queryParams[id].regex: invalid RE2 regex: "
            + "missing closing ]; Istio uses RE2 syntax (https://github.com/google/re2/wiki/Syntax) (value: [0-9)");
  }

  @Test
  void durations_invalidOrFinerThanMilliseconds_areRejected_goSyntaxAccepted() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - timeout: 1m
            retries: {attempts: 3, perTryTimeout: 0.0015s}
            fault:
              delay:
                fixedDelay: 5sec
                percentage: {value: 10}
            route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].fault.delay.fixedDelay: must be a valid duration "
            + "greater than 1ms (invalid duration format) (value: 5sec)",
        "test.yaml: VirtualService default/ratings: spec.http[0].retries.perTryTimeout: only durations to ms "
            + "precision are supported (value: 0.0015s)");
  }

  @Test
  void corsMaxAge_goSyntaxAccepted_fractionsOfASecondRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - corsPolicy: {maxAge: 24h}
            route:
            - destination: {host: ratings}
          - corsPolicy: {maxAge: 1.5s}
            route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[1].corsPolicy.maxAge: maxAge is accurate only to "
            + "seconds; use whole seconds (value: 1.5s)");
  }

  @Test
  void route_withRedirect_andNoAction_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - redirect: {uri: /v2}
            route:
            - destination: {host: ratings}
          - match: [{uri: {prefix: /x}}]
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].redirect: a route cannot have both route and "
            + "redirect (value: {\"uri\":\"/v2\"})",
        "test.yaml: VirtualService default/ratings: spec.http[1]: one of route, redirect, directResponse or delegate "
            + "is required");
  }

  @Test
  void retries_withoutAttempts_andUnknownRetryOn_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - retries: {perTryTimeout: 2s, retryOn: "5xx,connect-failure,gateway-eror,503"}
            route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].retries.attempts: retries are configured but attempts "
            + "is 0 (retries disabled); set attempts",
        "test.yaml: VirtualService default/ratings: spec.http[0].retries.retryOn: \"gateway-eror\" is not a valid "
            + "retryOn policy (value: 5xx,connect-failure,gateway-eror,503)");
  }

  @Test
  void fault_abortStatusOutOfRange_andUnknownGrpcStatus_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - fault:
              abort: {httpStatus: 700, percentage: {value: 100}}
            route:
            - destination: {host: ratings}
          - fault:
              abort: {grpcStatus: NOTFOUND}
            route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].fault.abort.httpStatus: HTTP status must be in range "
            + "200-599 (value: 700)",
        "test.yaml: VirtualService default/ratings: spec.http[1].fault.abort.grpcStatus: not a gRPC status code name, "
            + "e.g. UNAVAILABLE or NOT_FOUND (value: NOTFOUND)");
  }

  @Test
  void hosts_wildcardOnMesh_invalidName_andDuplicates_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: all}
        spec:
          hosts: ["*"]
          http:
          - route:
            - destination: {host: ratings}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop}
        spec:
          hosts: [shop.example.com, "*.example.com", "bad_host.example.com"]
          http:
          - route:
            - destination: {host: shop.example.com}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: [web.example.com, "*.com"]
          http:
          - route:
            - destination: {host: web.example.com}
        """)).containsExactly(
        "test.yaml: VirtualService default/all: spec.hosts[0]: wildcard host * is not allowed for VirtualServices bound "
            + "to the mesh (value: *)",
        "test.yaml (document 2): VirtualService default/shop: spec.hosts[2]: domain name \"bad_host.example.com\" "
            + "invalid (label \"bad_host\" invalid) (value: bad_host.example.com)",
        "test.yaml (document 3): VirtualService default/web: spec.hosts[1]: duplicate host: overlaps web.example.com "
            + "(value: *.com)");
  }

  @Test
  void delegate_missing_orWithHosts_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: root}
        spec:
          hosts: [shop.example.com]
          http:
          - match: [{uri: {prefix: /cart}}]
            delegate: {name: cart}
          - delegate: {name: catalog, namespace: shop}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: catalog, namespace: shop}
        spec:
          hosts: [catalog.shop.svc.cluster.local]
          http:
          - route:
            - destination: {host: catalog.shop.svc.cluster.local}
        """)).containsExactly(
        "test.yaml: VirtualService default/root: spec.http[0].delegate: delegate VirtualService default/cart not found "
            + "(value: default/cart)",
        "test.yaml: VirtualService default/root: spec.http[1].delegate: VirtualService shop/catalog has hosts, so it "
            + "cannot be a delegate (value: shop/catalog)");
  }

  @Test
  void delegateVirtualService_regexMatch_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: cart}
        spec:
          http:
          - match: [{uri: {regex: "/cart/.*"}}]
            route:
            - destination: {host: cart}
        """)).containsExactly(
        "test.yaml: VirtualService default/cart: spec.http[0].match[0].uri.regex: regex matches are not supported in "
            + "delegating routes (value: /cart/.*)");
  }

  @Test
  void conflictingVirtualServices_forOneMeshHost_areEachReported() {
    assertThat(Analyze.yaml(REVIEWS_RULE + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews-canary}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          http:
          - route:
            - destination: {host: reviews, subset: v3}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews-private, namespace: other}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          exportTo: [.]
          gateways: [mesh]
          http:
          - route:
            - destination: {host: reviews.default.svc.cluster.local, subset: v2}
        """)).containsExactly(
        "test.yaml (document 2): VirtualService default/reviews: spec.hosts[0]: VirtualServices default/reviews and "
            + "default/reviews-canary both define http routes for host reviews.default.svc.cluster.local on the mesh; "
            + "only one of them would apply. Merge them into one VirtualService (value: "
            + "reviews.default.svc.cluster.local)",
        "test.yaml (document 3): VirtualService default/reviews-canary: spec.hosts[0]: VirtualServices "
            + "default/reviews-canary and default/reviews both define http routes for host "
            + "reviews.default.svc.cluster.local on the mesh; only one of them would apply. Merge them into one "
            + "VirtualService (value: reviews.default.svc.cluster.local)");
  }

  @Test
  void subsetMissing_inRouteMirrorAndTcp_namesHostAndDefinedSubsets() {
    assertThat(Analyze.yaml(REVIEWS_RULE + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews.default.svc.cluster.local, subset: v4}
            mirror: {host: ratings, subset: v1}
          tcp:
          - route:
            - destination: {host: reviews, subset: v2}
        """)).containsExactly(
        "test.yaml (document 2): VirtualService default/reviews: spec.http[0].route[0].destination.subset: no "
            + "DestinationRule defines subset v4 for host reviews.default.svc.cluster.local; its DestinationRule "
            + "defines v1, v2, v3 (value: v4)",
        "test.yaml (document 2): VirtualService default/reviews: spec.http[0].mirror.subset: no DestinationRule "
            + "defines subset v1 for host ratings.default.svc.cluster.local (value: v1)");
  }

  @Test
  void subset_definedByWildcardDestinationRuleInAnotherNamespace_isAccepted() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: all-versions, namespace: istio-system}
        spec:
          host: "*.shop.svc.cluster.local"
          subsets:
          - {name: stable, labels: {track: stable}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: cart, namespace: shop}
        spec:
          hosts: [cart]
          http:
          - route:
            - destination: {host: cart, subset: stable}
        """)).isEmpty();
  }

  @Test
  void schema_unknownFields_areRejectedWithTheirPath() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ratings}
        spec:
          hosts: [ratings]
          http:
          - route:
            - destination: {host: ratings}
              wieght: 100
            corsPolicy:
              allowOrigins: [{exact: "https://example.com", prefx: "https"}]
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: spec.http[0].route[0].wieght: unknown field (value: 100)",
        "test.yaml: VirtualService default/ratings: spec.http[0].corsPolicy.allowOrigins[0].prefx: unknown field "
            + "(value: https)");
  }

  @Test
  void dryRunAnnotation_onVirtualService_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ratings
          annotations: {istio.io/dry-run: "true"}
        spec:
          hosts: [ratings]
          http:
          - route:
            - destination: {host: ratings}
        """)).containsExactly(
        "test.yaml: VirtualService default/ratings: metadata.annotations[istio.io/dry-run]: only AuthorizationPolicy "
            + "supports the istio.io/dry-run annotation; remove it (value: true)");
  }
}
