package dev.inboard.mesh.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.config.ConfigSet;
import dev.inboard.mesh.agent.config.IstioYamlLoader;
import dev.inboard.mesh.agent.xdsgen.MeshSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryBuilderTest {
  static final Path TESTDATA = Path.of("src/test/resources/istio/testdata-config");

  static ConfigSet load(List<Path> files, String... yaml) {
    var resources = new ArrayList<>(IstioYamlLoader.load(files).resources());
    for (String y : yaml) {
      var loaded = IstioYamlLoader.loadString(y, "test.yaml");
      assertThat(loaded.problems()).isEmpty();
      resources.addAll(loaded.resources());
    }
    return ConfigSet.of(resources);
  }

  static ServiceRegistry bookinfo() {
    return RegistryBuilder.build(load(List.of(BookinfoFixture.KUBE), BookinfoFixture.WORKLOADS),
        List.of(BookinfoFixture.PRODUCTPAGE), MeshSettings.DEFAULT);
  }

  @Test
  void bookinfo_kubernetesServices_becomeClusterLocalServicesSelectingTheirWorkloads() {
    ServiceRegistry registry = bookinfo();

    assertThat(registry.services()).extracting(MeshService::hostname).containsExactly(
        "details.default.svc.cluster.local", "productpage.default.svc.cluster.local",
        "ratings.default.svc.cluster.local", "reviews.default.svc.cluster.local");
    MeshService reviews = registry.service("reviews.default.svc.cluster.local").orElseThrow();
    assertThat(reviews).isEqualTo(new MeshService("reviews.default.svc.cluster.local", "default", List.of(),
        List.of(new ServicePort("http", 9080, Protocol.HTTP, 9080, "")), MeshService.Resolution.STATIC, false,
        Map.of("app", "reviews"), List.of(), Set.of("*"), "Service default/reviews"));
    assertThat(registry.instancesOf(reviews)).extracting(WorkloadInstance::name)
        .containsExactly("reviews-v1", "reviews-v2", "reviews-v3");
    assertThat(registry.instancesOf(registry.service("productpage.default.svc.cluster.local").orElseThrow()))
        .containsExactly(BookinfoFixture.PRODUCTPAGE);
  }

  @Test
  void bookinfo_workloadEntries_carryIdentityAndIstioMtls() {
    WorkloadInstance details = bookinfo().workloads().get(0);

    assertThat(details).isEqualTo(new WorkloadInstance("details-v1", "default", "10.0.0.11",
        Map.of("app", "details", "version", "v1"), "bookinfo-details", Map.of(), "", "", true, 0,
        WorkloadInstance.Origin.WORKLOAD_ENTRY));
    assertThat(bookinfo().workloads()).last().isEqualTo(BookinfoFixture.PRODUCTPAGE);
  }

  @Test
  void workloadEntry_tlsModeLabelDecides_elseAServiceAccountMeansMtls() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(), """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: a-plain, namespace: vm}
        spec: {address: 10.1.0.1, labels: {app: a}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: b-labelled, namespace: vm}
        spec:
          address: 10.1.0.2
          labels: {app: b, security.istio.io/tlsMode: istio}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: c-disabled, namespace: vm}
        spec:
          address: 10.1.0.3
          labels: {app: c, security.istio.io/tlsMode: disabled}
          serviceAccount: c
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: d-full, namespace: vm}
        spec:
          address: 10.1.0.4
          ports: {http: 8080, grpc: 7070}
          locality: us-east1/us-east1-b/rack1
          network: vm-net
          weight: 5
          serviceAccount: d
        """), List.of(), MeshSettings.DEFAULT);

    assertThat(registry.workloads()).extracting(WorkloadInstance::name, WorkloadInstance::serviceAccount,
        WorkloadInstance::mtls).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a-plain", "default", false),
        org.assertj.core.groups.Tuple.tuple("b-labelled", "default", true),
        org.assertj.core.groups.Tuple.tuple("c-disabled", "c", false),
        org.assertj.core.groups.Tuple.tuple("d-full", "d", true));
    WorkloadInstance full = registry.workloads().get(3);
    assertThat(full.ports()).isEqualTo(Map.of("http", 8080, "grpc", 7070));
    assertThat(full.locality()).isEqualTo("us-east1/us-east1-b/rack1");
    assertThat(full.network()).isEqualTo("vm-net");
    assertThat(full.weight()).isEqualTo(5);
  }

  @Test
  void kubernetesService_appProtocolTargetPortsClusterIpAndExportTo() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(), """
        apiVersion: v1
        kind: Service
        metadata:
          name: echo
          namespace: apps
          annotations: {networking.istio.io/exportTo: ".,tools"}
        spec:
          clusterIP: 10.96.0.10
          selector: {app: echo}
          ports:
          - {name: web, port: 80, targetPort: 8080, appProtocol: http}
          - {name: grpc-api, port: 7070, targetPort: grpc}
          - {name: h2c, port: 8081, appProtocol: kubernetes.io/h2c}
          - {name: dns, port: 53, protocol: UDP}
          - {name: mystery, port: 9999}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: apps}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{name: tcp-mysql, port: 3306}]
        """), List.of(), new MeshSettings("example.org", "corp.internal", "istio-system"));

    MeshService echo = registry.service("echo.apps.svc.corp.internal").orElseThrow();
    assertThat(echo.ports()).containsExactly(
        new ServicePort("web", 80, Protocol.HTTP, 8080, ""),
        new ServicePort("grpc-api", 7070, Protocol.GRPC, 7070, "grpc"),
        new ServicePort("h2c", 8081, Protocol.HTTP2, 8081, ""),
        new ServicePort("mystery", 9999, Protocol.UNSUPPORTED, 9999, ""));
    assertThat(echo.addresses()).containsExactly("10.96.0.10");
    assertThat(echo.exportTo()).containsExactlyInAnyOrder(".", "tools");
    assertThat(echo.resolution()).isEqualTo(MeshService.Resolution.STATIC);
    MeshService db = registry.service("db.apps.svc.corp.internal").orElseThrow();
    assertThat(db.resolution()).isEqualTo(MeshService.Resolution.NONE);
    assertThat(db.addresses()).isEmpty();
    assertThat(db.ports()).containsExactly(new ServicePort("tcp-mysql", 3306, Protocol.TCP, 3306, ""));
  }

  @Test
  void seExample_serviceEntriesBecomeOneServicePerHost() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(TESTDATA.resolve("se-example.yaml"))),
        List.of(), MeshSettings.DEFAULT);

    assertThat(registry.services()).extracting(MeshService::hostname).containsExactly(
        "foo.bar.com", "api.dropboxapi.com", "www.googleapis.com", "api.facebook.com", "mymongodb.somedomain",
        "*.bar.com", "example.unix.local", "test.seexamples");
    MeshService workload = registry.service("test.seexamples").orElseThrow();
    assertThat(workload).isEqualTo(new MeshService("test.seexamples", "seexamples", List.of(),
        List.of(new ServicePort("tcplocal", 1200, Protocol.TCP, 1200, "")), MeshService.Resolution.STATIC, false,
        Map.of(), List.of(new WorkloadInstance("workload", "seexamples", "10.12.0.1", Map.of(), "",
            Map.of("tcplocal", 21200), "", "", false, 0, WorkloadInstance.Origin.SERVICE_ENTRY_ENDPOINT)),
        Set.of("*"), "ServiceEntry seexamples/workload"));

    MeshService mongo = registry.service("mymongodb.somedomain").orElseThrow();
    assertThat(mongo.addresses()).containsExactly("192.192.192.192/24");
    assertThat(mongo.ports()).containsExactly(new ServicePort("mongodb", 27018, Protocol.MONGO, 27018, ""));
    assertThat(mongo.external()).isFalse();
    assertThat(registry.instancesOf(mongo)).extracting(WorkloadInstance::address)
        .containsExactly("2.2.2.2", "3.3.3.3");

    MeshService https = registry.service("www.googleapis.com").orElseThrow();
    assertThat(https.resolution()).isEqualTo(MeshService.Resolution.DNS);
    assertThat(https.external()).isTrue();
    assertThat(https.ports()).containsExactly(new ServicePort("https", 443, Protocol.TLS, 443, ""));
    assertThat(registry.instancesOf(https)).isEmpty();

    assertThat(registry.service("*.bar.com").orElseThrow().resolution()).isEqualTo(MeshService.Resolution.NONE);
    assertThat(registry.instancesOf(registry.service("example.unix.local").orElseThrow()))
        .extracting(WorkloadInstance::address).containsExactly("unix:///var/run/example/socket");
    assertThat(registry.instancesOf(registry.service("foo.bar.com").orElseThrow()))
        .extracting(WorkloadInstance::address, WorkloadInstance::ports).containsExactly(
            org.assertj.core.groups.Tuple.tuple("us.foo.bar.com", Map.of("http", 8080)),
            org.assertj.core.groups.Tuple.tuple("uk.foo.bar.com", Map.of("http", 9080)),
            org.assertj.core.groups.Tuple.tuple("in.foo.bar.com", Map.of("http", 7080)));
  }

  @Test
  void staticWeightedSe_endpointsKeepLocalityAndWeight() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(TESTDATA.resolve("static-weighted-se.yaml"))),
        List.of(), MeshSettings.DEFAULT);

    MeshService weighted = registry.service("weighted.static.svc.cluster.local").orElseThrow();
    assertThat(weighted.namespace()).isEqualTo("default");
    assertThat(weighted.external()).isTrue();
    assertThat(registry.instancesOf(weighted)).extracting(WorkloadInstance::address, WorkloadInstance::locality,
        WorkloadInstance::weight).containsExactly(
        org.assertj.core.groups.Tuple.tuple("3.3.3.3", "a", 0),
        org.assertj.core.groups.Tuple.tuple("2.2.2.2", "a", 8),
        org.assertj.core.groups.Tuple.tuple("1.1.1.1", "b", 3));
  }

  @Test
  void externalServices_protocolsAndMultiHostPorts() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(TESTDATA.resolve("external_services.yaml"))),
        List.of(), MeshSettings.DEFAULT);

    assertThat(registry.services()).extracting(MeshService::hostname).containsExactly(
        "dst.extsvc.com", "ep.extsvc.com", "external.extsvc.com", "ports.extsvc.com", "ports1.extsvc.com");
    assertThat(registry.service("ports1.extsvc.com").orElseThrow().ports()).containsExactly(
        new ServicePort("extsvc-https", 443, Protocol.HTTPS, 443, ""),
        new ServicePort("https-ports2", 8443, Protocol.HTTP, 8443, ""));
    assertThat(registry.service("ep.extsvc.com").orElseThrow().staticEndpoints())
        .extracting(WorkloadInstance::address, WorkloadInstance::ports).containsExactly(
            org.assertj.core.groups.Tuple.tuple("127.0.0.2", Map.of("extsvc-http", 8080)),
            org.assertj.core.groups.Tuple.tuple("127.0.0.3", Map.of("extsvc-http", 8002)));
  }

  @Test
  void serviceEntry_workloadSelectorSelectsWorkloadEntriesOfItsNamespace() {
    ServiceRegistry registry = RegistryBuilder.build(load(List.of(), """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: vm-svc, namespace: vm}
        spec:
          hosts: [vm.internal]
          location: MESH_INTERNAL
          resolution: STATIC
          exportTo: ["."]
          ports: [{number: 80, name: http, targetPort: 8080}]
          workloadSelector: {labels: {app: vm}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm-1, namespace: vm}
        spec: {address: 10.2.0.1, labels: {app: vm}, serviceAccount: vm}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm-elsewhere, namespace: other}
        spec: {address: 10.2.0.2, labels: {app: vm}}
        """), List.of(), MeshSettings.DEFAULT);

    MeshService vm = registry.service("vm.internal").orElseThrow();
    assertThat(vm.exportTo()).containsExactly(".");
    assertThat(vm.ports()).containsExactly(new ServicePort("http", 80, Protocol.HTTP, 8080, ""));
    assertThat(registry.instancesOf(vm)).extracting(WorkloadInstance::name).containsExactly("vm-1");
  }
}
