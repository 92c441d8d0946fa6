package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.assertAccepted;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.bookinfoServices;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.names;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.parse;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.productpage;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.route;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.vhost;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.virtualServices;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inboard.mesh.agent.config.ConfigResource;
import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import dev.inboard.mesh.config.RouteAction;
import dev.inboard.mesh.config.RouteConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Istio's Bookinfo VirtualServices on the productpage sidecar's route table {@code 9080}. */
class RouteConfigGeneratorBookinfoTest {
  static final String DEFAULT_RETRY = """
      {
        "retryOn": "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
        "numRetries": 2,
        "retryHostPredicate": [{
          "name": "envoy.retry_host_predicates.previous_hosts",
          "typedConfig": {"@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}
        }],
        "hostSelectionRetryMaxAttempts": "5"
      }""";

  final List<String> notes = new ArrayList<>();
  final RouteConfigGenerator generator = new RouteConfigGenerator(OutboundTrafficPolicy.ALLOW_ANY, notes::add);

  RouteConfiguration routes(String... files) {
    return routes(virtualServices(files));
  }

  RouteConfiguration routes(List<ConfigResource<VirtualService>> virtualServices) {
    RouteConfiguration rc = generator.generate(9080, bookinfoServices(), virtualServices, productpage(),
        MeshSettings.DEFAULT, HashPolicies.NONE);
    assertAccepted(rc);
    return rc;
  }

  static String host(String service) {
    return service + ".default.svc.cluster.local";
  }

  static String cluster(String subset, String service) {
    return "outbound|9080|" + subset + "|" + host(service);
  }

  static List<Route> routesOf(RouteConfiguration rc, String service) {
    return vhost(rc, host(service) + ":9080").getRoutesList();
  }

  static Map<String, Integer> weights(Route route) {
    Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (WeightedCluster.ClusterWeight c : route.getRoute().getWeightedClusters().getClustersList()) {
      out.put(c.getName(), c.getWeight().getValue());
    }
    return out;
  }

  static HTTPFault fault(Route route) throws InvalidProtocolBufferException {
    Any any = route.getTypedPerFilterConfigOrThrow("envoy.filters.http.fault");
    return any.unpack(HTTPFault.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"virtual-service-all-v1.yaml", "virtual-service-details-v2.yaml",
      "virtual-service-ratings-db.yaml", "virtual-service-ratings-mysql-vm.yaml", "virtual-service-ratings-mysql.yaml",
      "virtual-service-ratings-test-abort.yaml", "virtual-service-ratings-test-delay.yaml",
      "virtual-service-reviews-50-v3.yaml", "virtual-service-reviews-80-20.yaml", "virtual-service-reviews-90-10.yaml",
      "virtual-service-reviews-jason-v2-v3.yaml", "virtual-service-reviews-test-v2.yaml",
      "virtual-service-reviews-v2-v3.yaml", "virtual-service-reviews-v3.yaml", "fault-injection-details-v1.yaml",
      "bookinfo-gateway.yaml", "certmanager-gateway.yaml", "egress-rule-google-apis.yaml"})
  void everyBookinfoFile_appliesCleanly_acceptedByClientParser_withoutNotes(String file) {
    RouteConfiguration rc = routes(file);

    assertThat(rc.getName()).isEqualTo("9080");
    assertThat(names(rc)).containsExactly(host("details") + ":9080", host("productpage") + ":9080",
        host("ratings") + ":9080", host("reviews") + ":9080", "allow_any");
    assertThat(notes).isEmpty();
  }

  @Test
  void noVirtualServices_defaultRoutePerService_domainsAndCatchAll() {
    RouteConfiguration rc = routes(List.of());

    assertThat(rc.getValidateClusters().getValue()).isFalse();
    assertThat(rc.hasValidateClusters()).isTrue();
    assertThat(rc.getIgnorePortInHostMatching()).isTrue();
    assertThat(rc.getMaxDirectResponseBodySizeBytes().getValue()).isEqualTo(1024 * 1024);
    assertThat(vhost(rc, host("details") + ":9080").getDomainsList())
        .containsExactly("details.default.svc.cluster.local", "details.default.svc.cluster.local.", "details",
            "details.default.svc", "details.default");
    assertThat(vhost(rc, host("details") + ":9080").getIncludeRequestAttemptCount()).isTrue();
    assertThat(routesOf(rc, "details")).containsExactly(route("""
        {
          "name": "default",
          "match": {"prefix": "/"},
          "route": {
            "cluster": "outbound|9080||details.default.svc.cluster.local",
            "timeout": "0s",
            "maxGrpcTimeout": "0s",
            "retryPolicy": %s
          },
          "decorator": {"operation": "details.default.svc.cluster.local:9080/*"}
        }""".formatted(DEFAULT_RETRY)));
    assertThat(rc.getVirtualHosts(4)).isEqualTo(parse("""
        {
          "name": "allow_any",
          "domains": ["*"],
          "routes": [{
            "name": "allow_any",
            "match": {"prefix": "/"},
            "route": {"cluster": "PassthroughCluster", "timeout": "0s", "maxGrpcTimeout": "0s"}
          }],
          "includeRequestAttemptCount": true
        }""", VirtualHost.newBuilder()));
  }

  @Test
  void allV1_everyServiceToSubsetV1_withVirtualServiceMetadataAndHostDecorator() {
    RouteConfiguration rc = routes("virtual-service-all-v1.yaml");

    for (String service : List.of("details", "productpage", "ratings", "reviews")) {
      assertThat(routesOf(rc, service)).containsExactly(route("""
          {
            "match": {"prefix": "/"},
            "route": {
              "cluster": "%s",
              "timeout": "0s",
              "maxGrpcTimeout": "0s",
              "retryPolicy": %s
            },
            "metadata": {"filterMetadata": {"istio": {
              "config": "/apis/networking.istio.io/v1/namespaces/default/virtual-service/%s"}}},
            "decorator": {"operation": "%s:9080/*"}
          }""".formatted(cluster("v1", service), DEFAULT_RETRY, service, host(service))));
    }
  }

  @Test
  void reviewsJasonV2V3_jasonToV2_restToV3_exactlyAsIstiod() {
    RouteConfiguration rc = routes("virtual-service-reviews-jason-v2-v3.yaml");

    String metadata = """
        {"filterMetadata": {"istio": {"config": "/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews"}}}""";
    assertThat(vhost(rc, host("reviews") + ":9080")).isEqualTo(parse("""
        {
          "name": "reviews.default.svc.cluster.local:9080",
          "domains": ["reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local.", "reviews",
                      "reviews.default.svc", "reviews.default"],
          "routes": [{
            "match": {
              "prefix": "/",
              "caseSensitive": true,
              "headers": [{"name": "end-user", "stringMatch": {"exact": "jason"}}]
            },
            "route": {
              "cluster": "outbound|9080|v2|reviews.default.svc.cluster.local",
              "timeout": "0s",
              "maxGrpcTimeout": "0s",
              "retryPolicy": %1$s
            },
            "metadata": %2$s,
            "decorator": {"operation": "reviews.default.svc.cluster.local:9080/*"}
          }, {
            "match": {"prefix": "/"},
            "route": {
              "cluster": "outbound|9080|v3|reviews.default.svc.cluster.local",
              "timeout": "0s",
              "maxGrpcTimeout": "0s",
              "retryPolicy": %1$s
            },
            "metadata": %2$s,
            "decorator": {"operation": "reviews.default.svc.cluster.local:9080/*"}
          }],
          "includeRequestAttemptCount": true
        }""".formatted(DEFAULT_RETRY, metadata), VirtualHost.newBuilder()));
    assertThat(routesOf(rc, "ratings")).extracting(Route::getName).containsExactly("default");
  }

  @Test
  void reviewsTestV2_jasonToV2_restToV1() {
    RouteConfiguration rc = routes("virtual-service-reviews-test-v2.yaml");

    List<Route> reviews = routesOf(rc, "reviews");
    assertThat(reviews).hasSize(2);
    assertThat(reviews.get(0).getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("jason");
    assertThat(reviews.get(0).getRoute().getCluster()).isEqualTo(cluster("v2", "reviews"));
    assertThat(reviews.get(1).getMatch().getHeadersCount()).isZero();
    assertThat(reviews.get(1).getRoute().getCluster()).isEqualTo(cluster("v1", "reviews"));
  }

  @Test
  void weightedSplits_weightsAsWritten_spanNamedAfterVirtualService() {
    assertThat(weights(routesOf(routes("virtual-service-reviews-50-v3.yaml"), "reviews").get(0)))
        .containsExactly(Map.entry(cluster("v1", "reviews"), 50), Map.entry(cluster("v3", "reviews"), 50));
    assertThat(weights(routesOf(routes("virtual-service-reviews-v2-v3.yaml"), "reviews").get(0)))
        .containsExactly(Map.entry(cluster("v2", "reviews"), 50), Map.entry(cluster("v3", "reviews"), 50));
    assertThat(weights(routesOf(routes("virtual-service-reviews-80-20.yaml"), "reviews").get(0)))
        .containsExactly(Map.entry(cluster("v1", "reviews"), 80), Map.entry(cluster("v2", "reviews"), 20));
    Route split = routesOf(routes("virtual-service-reviews-90-10.yaml"), "reviews").get(0);
    assertThat(weights(split))
        .containsExactly(Map.entry(cluster("v1", "reviews"), 90), Map.entry(cluster("v2", "reviews"), 10));
    assertThat(split.getDecorator().getOperation()).isEqualTo("reviews:9080/*");
    assertThat(split.getRoute().getRetryPolicy()).isEqualTo(RetryPolicies.defaultPolicy(false));
    assertThat(split.getRoute().getWeightedClusters().hasTotalWeight()).isFalse();
  }

  @Test
  void weightedSplit_clientReadsTheWeights() {
    RouteConfig parsed = assertAccepted(routes("virtual-service-reviews-80-20.yaml"));

    var reviews = parsed.virtualHosts().stream().filter(v -> v.name().startsWith("reviews.")).findFirst().orElseThrow();
    var forward = (RouteAction.Forward) reviews.routes().get(0).action();
    var weighted = (RouteAction.ClusterSpecifier.Weighted) forward.cluster();
    assertThat(weighted.clusters()).extracting(RouteAction.WeightedCluster::name, RouteAction.WeightedCluster::weight)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(cluster("v1", "reviews"), 80L),
            org.assertj.core.groups.Tuple.tuple(cluster("v2", "reviews"), 20L));
  }

  @Test
  void singleSubsets_reviewsV3_detailsV2_ratingsDatabases() {
    assertThat(routesOf(routes("virtual-service-reviews-v3.yaml"), "reviews").get(0).getRoute().getCluster())
        .isEqualTo(cluster("v3", "reviews"));
    assertThat(routesOf(routes("virtual-service-details-v2.yaml"), "details").get(0).getRoute().getCluster())
        .isEqualTo(cluster("v2", "details"));
    RouteConfiguration db = routes("virtual-service-ratings-db.yaml");
    assertThat(routesOf(db, "reviews").get(0).getRoute().getCluster()).isEqualTo(cluster("v3", "reviews"));
    assertThat(routesOf(db, "ratings").get(0).getRoute().getCluster()).isEqualTo(cluster("v2", "ratings"));
    assertThat(routesOf(routes("virtual-service-ratings-mysql.yaml"), "ratings").get(0).getRoute().getCluster())
        .isEqualTo(cluster("v2-mysql", "ratings"));
    assertThat(routesOf(routes("virtual-service-ratings-mysql-vm.yaml"), "ratings").get(0).getRoute().getCluster())
        .isEqualTo(cluster("v2-mysql-vm", "ratings"));
  }

  @Test
  void ratingsTestDelay_jasonDelayed7sForEveryRequest_othersUndisturbed() throws Exception {
    List<Route> ratings = routesOf(routes("virtual-service-ratings-test-delay.yaml"), "ratings");

    assertThat(ratings).hasSize(2);
    assertThat(ratings.get(0).getMatch().getHeaders(0).getStringMatch().getExact()).isEqualTo("jason");
    assertThat(fault(ratings.get(0))).isEqualTo(parse("""
        {"delay": {"fixedDelay": "7s", "percentage": {"numerator": 1000000, "denominator": "MILLION"}}}""",
        HTTPFault.newBuilder()));
    assertThat(ratings.get(0).getRoute().getCluster()).isEqualTo(cluster("v1", "ratings"));
    assertThat(ratings.get(1).getTypedPerFilterConfigMap()).isEmpty();
    assertThat(ratings.get(1).getRoute().getCluster()).isEqualTo(cluster("v1", "ratings"));
  }

  @Test
  void ratingsTestAbort_jasonGets500_everyRequest() throws Exception {
    List<Route> ratings = routesOf(routes("virtual-service-ratings-test-abort.yaml"), "ratings");

    assertThat(fault(ratings.get(0))).isEqualTo(parse("""
        {"abort": {"httpStatus": 500, "percentage": {"numerator": 1000000, "denominator": "MILLION"}}}""",
        HTTPFault.newBuilder()));
    assertThat(ratings.get(1).getTypedPerFilterConfigMap()).isEmpty();
  }

  @Test
  void faultInjectionDetailsV1_firstRouteMatchesEverything_soItIsTheOnlyRoute() throws Exception {
    List<Route> details = routesOf(routes("fault-injection-details-v1.yaml"), "details");

    assertThat(details).hasSize(1);
    assertThat(fault(details.get(0))).isEqualTo(parse("""
        {"abort": {"httpStatus": 555, "percentage": {"numerator": 1000000, "denominator": "MILLION"}}}""",
        HTTPFault.newBuilder()));
    assertThat(details.get(0).getRoute().getCluster()).isEqualTo(cluster("v1", "details"));
  }

  @Test
  void gatewayOnlyVirtualServices_doNotApplyToSidecars() {
    RouteConfiguration plain = routes(List.of());

    assertThat(routes("bookinfo-gateway.yaml")).isEqualTo(plain);
    assertThat(routes("certmanager-gateway.yaml")).isEqualTo(plain);
  }

  @Test
  void googleApisEgress_port80RewrittenTo443_onTheServiceEntryHost() {
    MeshService googleapis = new MeshService("www.googleapis.com", "default", List.of(),
        List.of(new ServicePort("http", 80, Protocol.HTTP, 80, ""), new ServicePort("https", 443, Protocol.HTTPS, 443, "")),
        MeshService.Resolution.DNS, true, Map.of(), List.of(), Set.of("*"), "ServiceEntry default/googleapis");
    List<MeshService> services = new ArrayList<>(bookinfoServices());
    services.add(googleapis);

    RouteConfiguration rc = generator.generate(80, services, virtualServices("egress-rule-google-apis.yaml"),
        productpage(), MeshSettings.DEFAULT, HashPolicies.NONE);

    assertAccepted(rc);
    assertThat(names(rc)).containsExactly("www.googleapis.com:80", "allow_any");
    VirtualHost google = vhost(rc, "www.googleapis.com:80");
    assertThat(google.getDomainsList()).containsExactly("www.googleapis.com", "www.googleapis.com.");
    assertThat(google.getRoutesList()).hasSize(1);
    assertThat(google.getRoutes(0).getMatch()).isEqualTo(parse("""
        {"prefix": "/", "caseSensitive": true}""", io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()));
    assertThat(google.getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|443||www.googleapis.com");
    assertThat(google.getRoutes(0).getDecorator().getOperation()).isEqualTo("www.googleapis.com:443/*");
    RouteConfiguration https = generator.generate(443, services, virtualServices("egress-rule-google-apis.yaml"),
        productpage(), MeshSettings.DEFAULT, HashPolicies.NONE);
    assertThat(names(https)).containsExactly("allow_any");
  }

  @Test
  void port80_virtualServiceHostsOfOtherPorts_becomeHostOnlyVirtualHosts_asIstiodDoes() {
    RouteConfiguration rc = generator.generate(80, bookinfoServices(), virtualServices("virtual-service-reviews-v3.yaml"),
        productpage(), MeshSettings.DEFAULT, HashPolicies.NONE);

    assertAccepted(rc);
    assertThat(names(rc)).containsExactly(host("reviews") + ":80", "allow_any");
    VirtualHost reviews = rc.getVirtualHosts(0);
    assertThat(reviews.getDomainsList()).containsExactly(host("reviews"));
    assertThat(reviews.getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|80|v3|" + host("reviews"));
  }
}
