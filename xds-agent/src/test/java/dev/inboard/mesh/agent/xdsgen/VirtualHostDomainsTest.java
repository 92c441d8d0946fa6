package dev.inboard.mesh.agent.xdsgen;

import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.productpage;
import static dev.inboard.mesh.agent.xdsgen.XdsgenFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.Protocol;
import dev.inboard.mesh.agent.registry.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VirtualHostDomainsTest {
  static final ServicePort HTTP = new ServicePort("http", 9080, Protocol.HTTP, 9080, "");

  @Test
  void sameNamespace_fqdnAbsoluteFqdnShortNamesThenVips() {
    MeshService reviews = service("reviews", "default", List.of("10.96.0.12"), HTTP);

    VirtualHostDomains d = VirtualHostDomains.of(reviews, 9080, productpage(), MeshSettings.DEFAULT);

    assertThat(d.domains()).containsExactly("reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local.",
        "reviews", "reviews.default.svc", "reviews.default", "10.96.0.12");
    assertThat(d.altHosts()).containsExactly("reviews.default.svc.cluster.local.", "reviews", "reviews.default.svc",
        "reviews.default");
  }

  @Test
  void otherNamespace_noBareName() {
    ProxyView other = XdsgenFixtures.proxy("shop", Map.of(), Map.of());

    assertThat(VirtualHostDomains.of(service("reviews", "default", List.of(), HTTP), 9080, other,
        MeshSettings.DEFAULT).domains())
        .containsExactly("reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local.", "reviews.default",
            "reviews.default.svc");
  }

  @Test
  void hostOutsideTheClusterDomain_onlyItself() {
    MeshService external = new MeshService("api.example.com", "default", List.of("240.240.0.1"), List.of(HTTP),
        MeshService.Resolution.DNS, true, Map.of(), List.of(), Set.of("*"), "ServiceEntry default/api");

    assertThat(VirtualHostDomains.of(external, 9080, productpage(), MeshSettings.DEFAULT).domains())
        .containsExactly("api.example.com", "api.example.com.", "240.240.0.1");
  }

  @Test
  void headlessKubernetesService_wildcardFormsBeforeVips() {
    MeshService headless = new MeshService("db.default.svc.cluster.local", "default", List.of(), List.of(HTTP),
        MeshService.Resolution.NONE, false, Map.of("app", "db"), List.of(), Set.of("*"), "Service default/db");

    assertThat(VirtualHostDomains.of(headless, 9080, productpage(), MeshSettings.DEFAULT).domains())
        .containsExactly("db.default.svc.cluster.local", "db.default.svc.cluster.local.", "db", "db.default.svc",
            "db.default", "*.db.default.svc.cluster.local", "*.db.default.svc.cluster.local.", "*.db",
            "*.db.default.svc", "*.db.default");
  }

  @Test
  void ipv6Vip_bracketed_andWithPortForProxylessNodes() {
    ProxyView grpc = XdsgenFixtures.proxy("default", Map.of(), Map.of("GENERATOR", "grpc"));
    MeshService reviews = service("reviews", "default", List.of("fd00::12", "0.0.0.0"), HTTP);

    assertThat(VirtualHostDomains.of(reviews, 9080, productpage(), MeshSettings.DEFAULT).domains())
        .endsWith("reviews.default", "[fd00::12]");
    assertThat(VirtualHostDomains.of(reviews, 9080, grpc, MeshSettings.DEFAULT).domains())
        .endsWith("[fd00::12]", "[fd00::12]:9080");
    assertThat(VirtualHostDomains.ofHost("bookinfo.example.com", 80, grpc))
        .containsExactly("bookinfo.example.com", "bookinfo.example.com:80");
  }

  @Test
  void customDomainSuffix() {
    MeshSettings mesh = new MeshSettings("corp.local", "corp.local", "istio-system");
    MeshService reviews = new MeshService("reviews.default.svc.corp.local", "default", List.of(), List.of(HTTP),
        MeshService.Resolution.STATIC, false, Map.of(), List.of(), Set.of("*"), "Service default/reviews");

    assertThat(VirtualHostDomains.of(reviews, 9080, productpage(), mesh).domains())
        .containsExactly("reviews.default.svc.corp.local", "reviews.default.svc.corp.local.", "reviews",
            "reviews.default.svc", "reviews.default");
    assertThat(VirtualHostDomains.of(reviews, 9080, productpage(), MeshSettings.DEFAULT).domains())
        .containsExactly("reviews.default.svc.corp.local", "reviews.default.svc.corp.local.");
  }
}
