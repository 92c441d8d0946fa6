package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.assertAccepted;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.bookinfoService;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.bookinfoServices;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.names;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.productpage;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.service;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.vhost;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.virtualServicesYaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which VirtualServices shape which virtual hosts, and how virtual hosts are named, scoped and de-duplicated. */
class RouteConfigGeneratorTest {
  static final String REVIEWS = "reviews.default.svc.cluster.local";

  final List<String> notes = new ArrayList<>();
  final RouteConfigGenerator generator = new RouteConfigGenerator(OutboundTrafficPolicy.ALLOW_ANY, notes::add);

  RouteConfiguration generate(int port, List<MeshService> services, String yaml, ProxyView proxy) {
    RouteConfiguration rc = generator.generate(port, services,
        yaml.isEmpty() ? List.of() : virtualServicesYaml(yaml), proxy, MeshSettings.DEFAULT, HashPolicies.NONE);
    assertAccepted(rc);
    return rc;
  }

  static String reviewsVs(String namespace, String extraSpec) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: %s}
        spec:
          hosts: [reviews]
        %s
          http:
          - route:
            - destination: {host: reviews, subset: v2}
        """.formatted(namespace, extraSpec.indent(2).stripTrailing());
  }

  static String reviewsCluster(RouteConfiguration rc) {
    return vhost(rc, REVIEWS + ":9080").getRoutes(0).getRoute().getCluster();
  }

  @Test
  void exportTo_dotHidesFromOtherNamespaces_listedNamespaceSees() {
    ProxyView other = XdsgenFixtures.proxy("other", Map.of("app", "client"), Map.of());
    String hidden = reviewsVs("default", "exportTo: [\".\"]");
    String listed = reviewsVs("default", "exportTo: [other]");

    assertThat(reviewsCluster(generate(9080, bookinfoServices(), hidden, productpage())))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(reviewsCluster(generate(9080, bookinfoServices(), hidden, other)))
        .isEqualTo("outbound|9080||" + REVIEWS);
    assertThat(reviewsCluster(generate(9080, bookinfoServices(), listed, other)))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
    assertThat(reviewsCluster(generate(9080, bookinfoServices(), listed, productpage())))
        .isEqualTo("outbound|9080||" + REVIEWS);
  }

  @Test
  void gateways_meshMustBeListed() {
    assertThat(reviewsCluster(generate(9080, bookinfoServices(),
        reviewsVs("default", "gateways: [istio-system/ingress]"), productpage())))
        .isEqualTo("outbound|9080||" + REVIEWS);
    assertThat(reviewsCluster(generate(9080, bookinfoServices(),
        reviewsVs("default", "gateways: [istio-system/ingress, mesh]"), productpage())))
        .isEqualTo("outbound|9080|v2|" + REVIEWS);
  }

  @Test
  void shortHosts_resolveInTheVirtualServicesNamespace() {
    RouteConfiguration rc = generate(9080, bookinfoServices(), reviewsVs("other", ""), productpage());

    assertThat(reviewsCluster(rc)).isEqualTo("outbound|9080||" + REVIEWS);
    assertThat(names(rc)).doesNotContain("reviews.other.svc.cluster.local:9080");
  }

  @Test
  void wildcardHost_coversServicesWithoutAnExactVirtualService() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: all, namespace: default}
        spec:
          hosts: ["*.default.svc.cluster.local"]
          http:
          - timeout: 3s
            route:
            - destination: {host: reviews, subset: v1}
        ---
        """ + reviewsVs("default", "");

    RouteConfiguration rc = generate(9080, bookinfoServices(), yaml, productpage());

    assertThat(names(rc)).containsExactly("details.default.svc.cluster.local:9080",
        "productpage.default.svc.cluster.local:9080", "ratings.default.svc.cluster.local:9080", REVIEWS + ":9080",
        "allow_any");
    Route details = vhost(rc, "details.default.svc.cluster.local:9080").getRoutes(0);
    assertThat(details.getRoute().getCluster()).isEqualTo("outbound|9080|v1|" + REVIEWS);
    assertThat(details.getRoute().getTimeout().getSeconds()).isEqualTo(3);
    assertThat(reviewsCluster(rc)).isEqualTo("outbound|9080|v2|" + REVIEWS);
  }

  @Test
  void nonRegistryHost_getsItsOwnVirtualHost_onThePortsOfTheVirtualServicesServices() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews, bookinfo.example.com]
          http:
          - route:
            - destination: {host: reviews, subset: v3}
        """;

    RouteConfiguration rc = generate(9080, bookinfoServices(), yaml, productpage());

    assertThat(vhost(rc, "bookinfo.example.com:9080").getDomainsList()).containsExactly("bookinfo.example.com");
    assertThat(vhost(rc, "bookinfo.example.com:9080").getRoutesList())
        .isEqualTo(vhost(rc, REVIEWS + ":9080").getRoutesList());
    assertThat(names(generate(8080, List.of(service("web", "default", List.of(),
        new ServicePort("http", 8080, Protocol.HTTP, 8080, ""))), yaml, productpage())))
        .containsExactly("web.default.svc.cluster.local:8080", "allow_any");
  }

  @Test
  void domainTakenByEarlierVirtualHost_droppedFromLaterOne() {
    String yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: alias, namespace: default}
        spec:
          hosts: [reviews.default, details]
          http:
          - route:
            - destination: {host: details}
        """;

    RouteConfiguration rc = generate(9080, bookinfoServices(), yaml, productpage());

    assertThat(vhost(rc, "reviews.default:9080").getDomainsList()).containsExactly("reviews.default");
    assertThat(vhost(rc, REVIEWS + ":9080").getDomainsList())
        .containsExactly(REVIEWS, REVIEWS + ".", "reviews", "reviews.default.svc");
    assertThat(vhost(rc, REVIEWS + ":9080").getRoutes(0).getName()).isEqualTo("default");
  }

  @Test
  void portsAndProtocols_onlyHttpOrSniffedServicesOnTheRequestedPort() {
    MeshService mongo = service("mongodb", "default", List.of("10.96.0.20"),
        new ServicePort("mongo", 27017, Protocol.MONGO, 27017, ""));
    MeshService web = service("web", "default", List.of("10.96.0.30"),
        new ServicePort("http-web", 9080, Protocol.HTTP, 8080, ""), new ServicePort("admin", 15000, Protocol.UNSUPPORTED, 15000, ""));
    List<MeshService> services = new ArrayList<>(bookinfoServices());
    services.add(mongo);
    services.add(web);

    assertThat(names(generate(9080, services, "", productpage()))).contains("web.default.svc.cluster.local:9080")
        .doesNotContain("mongodb.default.svc.cluster.local:27017");
    assertThat(vhost(generate(9080, services, "", productpage()), "web.default.svc.cluster.local:9080").getDomainsList())
        .containsExactly("web.default.svc.cluster.local", "web.default.svc.cluster.local.", "web", "web.default.svc",
            "web.default", "10.96.0.30");
    assertThat(names(generate(27017, services, "", productpage()))).containsExactly("allow_any");
    assertThat(names(generate(15000, services, "", productpage())))
        .containsExactly("web.default.svc.cluster.local:15000", "allow_any");
  }

  @Test
  void registryOnly_blockAllAnswers502() {
    RouteConfiguration rc = new RouteConfigGenerator(OutboundTrafficPolicy.REGISTRY_ONLY, notes::add)
        .generate(9080, List.of(bookinfoService("details")), List.of(), productpage(), MeshSettings.DEFAULT,
            HashPolicies.NONE);

    assertAccepted(rc);
    assertThat(rc.getVirtualHosts(1)).isEqualTo(XdsgenFixtures.parse("""
        {
          "name": "block_all",
          "domains": ["*"],
          "routes": [{"name": "block_all", "match": {"prefix": "/"}, "directResponse": {"status": 502}}],
          "includeRequestAttemptCount": true
        }""", io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()));
  }

  @Test
  void proxylessGrpcNode_domainsWithPorts_timeoutAsMaxStreamDuration() {
    ProxyView grpc = XdsgenFixtures.proxy("default", Map.of("app", "productpage"), Map.of("GENERATOR", "grpc"));

    RouteConfiguration rc = generate(9080, bookinfoServices(), reviewsVs("default", ""), grpc);

    assertThat(vhost(rc, REVIEWS + ":9080").getDomainsList()).containsExactly(REVIEWS, REVIEWS + ":9080",
        REVIEWS + ".", REVIEWS + ".:9080", "reviews", "reviews:9080", "reviews.default.svc", "reviews.default.svc:9080", "reviews.default",
        "reviews.default:9080");
    var action = vhost(rc, REVIEWS + ":9080").getRoutes(0).getRoute();
    assertThat(action.getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isZero();
    assertThat(action.getMaxStreamDuration().hasMaxStreamDuration()).isTrue();
    assertThat(action.hasMaxGrpcTimeout()).isFalse();
  }

  @Test
  void virtualHostsWithoutCatchAll_forOtherGenerators() {
    var hosts = generator.virtualHosts(9080, bookinfoServices(), List.of(), productpage(), MeshSettings.DEFAULT,
        HashPolicies.NONE);

    assertThat(hosts).extracting(io.envoyproxy.envoy.config.route.v3.VirtualHost::getName)
        .containsExactly("details.default.svc.cluster.local:9080", "productpage.default.svc.cluster.local:9080",
            "ratings.default.svc.cluster.local:9080", REVIEWS + ":9080");
  }

  @Test
  void sameInput_sameOutput() {
    String yaml = reviewsVs("default", "");
    List<MeshService> reversed = new ArrayList<>(bookinfoServices());
    java.util.Collections.reverse(reversed);
    assertThat(generate(9080, bookinfoServices(), yaml, productpage()))
        .isEqualTo(generate(9080, reversed, yaml, productpage()));
  }
}
