package dev.inboard.mesh.agent.xdsgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.agent.registry.ServicePort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarScopeTest {
  /** Services in three namespaces with every exportTo form. */
  static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: reviews, namespace: default}
      spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: private
        namespace: backend
        annotations: {networking.istio.io/exportTo: "."}
      spec: {selector: {app: private}, ports: [{name: http, port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: shared
        namespace: backend
        annotations: {networking.istio.io/exportTo: "default"}
      spec: {selector: {app: shared}, ports: [{name: http, port: 80}, {name: grpc, port: 7070}]}
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: hidden
        namespace: backend
        annotations: {networking.istio.io/exportTo: "~"}
      spec: {selector: {app: hidden}, ports: [{name: http, port: 80}]}
      ---
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata: {name: apis, namespace: istio-system}
      spec:
        hosts: [api.example.com, www.example.org]
        ports: [{number: 443, name: tls, protocol: TLS}]
        resolution: DNS
      """;

  static final ProxyView PRODUCTPAGE = Proxies.sidecar("default", Map.of("app", "productpage", "version", "v1"),
      "10.0.0.41");
  static final ProxyView BACKEND = Proxies.sidecar("backend", Map.of("app", "worker"), "10.0.1.5");

  static List<String> hosts(ProxyView proxy, PushContext push) {
    return SidecarScope.of(proxy, push).services().stream().map(MeshService::hostname).toList();
  }

  @Test
  void noSidecar_everyServiceExportedToTheProxysNamespace() {
    PushContext push = Proxies.push(SERVICES);

    assertThat(SidecarScope.of(PRODUCTPAGE, push).sidecar()).isEmpty();
    assertThat(hosts(PRODUCTPAGE, push)).containsExactly("api.example.com", "reviews.default.svc.cluster.local",
        "shared.backend.svc.cluster.local", "www.example.org");
    assertThat(hosts(BACKEND, push)).containsExactly("api.example.com", "private.backend.svc.cluster.local",
        "reviews.default.svc.cluster.local", "www.example.org");
  }

  @Test
  void namespaceSidecar_importsOnlyItsEgressHosts() {
    PushContext push = Proxies.push(SERVICES, """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: default}
        spec:
          egress:
          - hosts: ["./*", "istio-system/*.example.com"]
        """);

    SidecarScope scope = SidecarScope.of(PRODUCTPAGE, push);
    assertThat(scope.sidecar().orElseThrow().name()).isEqualTo("default");
    assertThat(hosts(PRODUCTPAGE, push)).containsExactly("api.example.com", "reviews.default.svc.cluster.local");
  }

  @Test
  void selectingSidecar_winsOverNamespaceWide_andRootNamespaceIsTheFallback() {
    PushContext push = Proxies.push(SERVICES, """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: for-productpage, namespace: default}
        spec:
          workloadSelector: {labels: {app: productpage}}
          egress: [{hosts: ["backend/shared.backend.svc.cluster.local"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: default}
        spec:
          egress: [{hosts: ["./*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: mesh-default, namespace: istio-system}
        spec:
          egress: [{hosts: ["./*", "istio-system/*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: selective-root, namespace: istio-system}
        spec:
          workloadSelector: {labels: {app: worker}}
          egress: [{hosts: ["~/*"]}]
        """);

    assertThat(SidecarScope.of(PRODUCTPAGE, push).sidecar().orElseThrow().name()).isEqualTo("for-productpage");
    assertThat(hosts(PRODUCTPAGE, push)).containsExactly("shared.backend.svc.cluster.local");
    ProxyView ratings = Proxies.sidecar("default", Map.of("app", "ratings"), "10.0.0.21");
    assertThat(hosts(ratings, push)).containsExactly("reviews.default.svc.cluster.local");
    // The root namespace's Sidecar applies with "." meaning the proxy's own namespace.
    assertThat(SidecarScope.of(BACKEND, push).sidecar().orElseThrow().name()).isEqualTo("mesh-default");
    assertThat(hosts(BACKEND, push)).containsExactly("api.example.com", "private.backend.svc.cluster.local",
        "www.example.org");
  }

  @Test
  void noneNamespace_andExactHost_andPortBoundListener() {
    PushContext push = Proxies.push(SERVICES, """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: default}
        spec:
          egress:
          - port: {number: 7070, protocol: GRPC, name: grpc}
            hosts: ["*/*"]
          - hosts: ["~/*", "*/www.example.org"]
        """);

    List<MeshService> services = SidecarScope.of(PRODUCTPAGE, push).services();
    assertThat(services).extracting(MeshService::hostname)
        .containsExactly("shared.backend.svc.cluster.local", "www.example.org");
    assertThat(services.get(0).ports()).extracting(ServicePort::port).containsExactly(7070);
  }

  @Test
  void virtualServiceDestinations_joinTheImportedServices() {
    PushContext push = Proxies.push(SERVICES, """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: default}
        spec:
          egress: [{hosts: ["./*"]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: to-shared, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: shared.backend.svc.cluster.local, port: {number: 80}}
        """);

    List<MeshService> services = SidecarScope.of(PRODUCTPAGE, push).services();
    assertThat(services).extracting(MeshService::hostname)
        .containsExactly("reviews.default.svc.cluster.local", "shared.backend.svc.cluster.local");
    assertThat(services.get(1).ports()).extracting(ServicePort::port).containsExactly(80);
  }

  @Test
  void sameHostInTwoNamespaces_theProxysNamespaceWins_andKubernetesBeatsServiceEntry() {
    PushContext push = Proxies.push("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: dup, namespace: default}
        spec: {hosts: [dup.example.com], ports: [{number: 80, name: http}], resolution: DNS}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: dup, namespace: other}
        spec: {hosts: [dup.example.com], ports: [{number: 81, name: http}], resolution: DNS}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: squatter, namespace: other}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          ports: [{number: 9080, name: http}]
          resolution: DNS
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
        """);

    List<MeshService> services = SidecarScope.of(BACKEND, push).services();
    assertThat(services).extracting(MeshService::hostname, MeshService::namespace).containsExactly(
        org.assertj.core.groups.Tuple.tuple("dup.example.com", "default"),
        org.assertj.core.groups.Tuple.tuple("reviews.default.svc.cluster.local", "default"));
    // In the squatter's own namespace, "same namespace wins" comes first, as in istiod.
    assertThat(SidecarScope.of(Proxies.sidecar("other", Map.of(), "10.0.2.1"), push).services())
        .extracting(MeshService::hostname, MeshService::namespace).containsExactly(
            org.assertj.core.groups.Tuple.tuple("dup.example.com", "other"),
            org.assertj.core.groups.Tuple.tuple("reviews.default.svc.cluster.local", "other"));
    // A third namespace prefers the Kubernetes Service.
    assertThat(SidecarScope.of(Proxies.sidecar("third", Map.of(), "10.0.3.1"), push).services())
        .extracting(MeshService::namespace).containsExactly("default", "default");
  }

  @Test
  void seExample_theNamespaceSidecarLimitsToItsOwnNamespace() {
    PushContext push = Proxies.push(Proxies.config(List.of(Proxies.TESTDATA.resolve("se-example.yaml"),
        Proxies.TESTDATA.resolve("external_services.yaml"))), List.of());

    assertThat(hosts(Proxies.sidecar("seexamples", Map.of("app", "client"), "10.12.0.9"), push)).containsExactly(
        "*.bar.com", "api.dropboxapi.com", "api.facebook.com", "example.unix.local", "foo.bar.com",
        "mymongodb.somedomain", "test.seexamples", "www.googleapis.com");
    assertThat(hosts(Proxies.sidecar("testns", Map.of(), "10.13.0.9"), push)).contains("ep.extsvc.com",
        "test.seexamples");
  }
}
