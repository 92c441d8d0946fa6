package dev.inboard.mesh.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ServiceEntry, WorkloadEntry and Sidecar problems beyond their schemas, with exact messages. */
class WorkloadAnalyzeTest {
  @Test
  void serviceEntry_staticHostnameEndpoint_undeclaredPort_andBadProtocol_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: db, namespace: shop}
        spec:
          hosts: [db.internal]
          addresses: [10.1.0.0/16]
          ports:
          - {number: 5432, name: tcp-postgres, protocol: POSTGRES}
          resolution: STATIC
          endpoints:
          - address: db1.internal
            ports: {sql: 5432}
        """)).containsExactly(
        "test.yaml: ServiceEntry shop/db: spec.ports[0].protocol: unsupported protocol; use HTTP, HTTPS, HTTP2, GRPC, "
            + "GRPC-WEB, TCP, TLS, UDP, MONGO, REDIS or MYSQL (value: POSTGRES)",
        "test.yaml: ServiceEntry shop/db: spec.endpoints[0].address: endpoint address must be an IP address when "
            + "resolution is STATIC (value: db1.internal)",
        "test.yaml: ServiceEntry shop/db: spec.endpoints[0].ports[sql]: endpoint port sql is not a port of the "
            + "ServiceEntry [tcp-postgres] (value: sql)");
  }

  @Test
  void serviceEntry_dnsWildcardHostWithoutEndpoints_andManyHostsOnTcp_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: external}
        spec:
          hosts: ["*.example.com", api.example.org]
          ports:
          - {number: 443, name: tls, protocol: TLS}
          - {number: 9000, name: tcp, protocol: TCP}
          resolution: DNS
        """)).containsExactly(
        "test.yaml: ServiceEntry default/external: spec.hosts[0]: hosts must be fully qualified names when resolution "
            + "is DNS and no endpoints are given (value: *.example.com)",
        "test.yaml: ServiceEntry default/external: spec.ports[1].protocol: a ServiceEntry with several hosts can only "
            + "have HTTP or TLS ports (plain TCP cannot tell the hosts apart) unless resolution is NONE (value: TCP)");
  }

  @Test
  void workloadEntry_badAddress_andLabel_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm-1}
        spec:
          address: "vm_1.internal"
          labels: {"app/": ratings}
        """)).containsExactly(
        "test.yaml: WorkloadEntry default/vm-1: spec.address: not a valid FQDN or IP address (value: vm_1.internal)",
        "test.yaml: WorkloadEntry default/vm-1: spec.labels[app/]: invalid label key \"app/\" (value: ratings)");
  }

  @Test
  void sidecar_empty_isRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default}
        spec:
          workloadSelector:
            labels: {app: ratings}
        """)).containsExactly(
        "test.yaml: Sidecar default/default: spec: a Sidecar needs egress, ingress, outboundTrafficPolicy or "
            + "inboundConnectionPool");
  }

  @Test
  void sidecar_egressHostsAndCatchAllOrder_areRejected() {
    assertThat(Analyze.yaml("""
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: shop}
        spec:
          egress:
          - hosts: ["./*", "istio-system/*"]
          - port: {number: 9080, protocol: HTTP, name: http}
            hosts: [reviews.shop.svc.cluster.local, "shop/reviews", "*/api*.example.com"]
          ingress:
          - port: {number: 9080, protocol: HTTP, name: http}
            defaultEndpoint: 10.0.0.1:9080
        """)).containsExactly(
        "test.yaml: Sidecar shop/default: spec.ingress[0].defaultEndpoint: defaultEndpoint must be 127.0.0.1:<port>, "
            + "0.0.0.0:<port>, [::1]:<port>, [::]:<port>, :<port> or unix://<path> (value: 10.0.0.1:9080)",
        "test.yaml: Sidecar shop/default: spec.egress[0]: the egress listener without a port (catch-all) must be the "
            + "last one",
        "test.yaml: Sidecar shop/default: spec.egress[1].hosts[0]: host must be of the form namespace/dnsName (value: "
            + "reviews.shop.svc.cluster.local)",
        "test.yaml: Sidecar shop/default: spec.egress[1].hosts[1]: short names (non FQDN) are not allowed (value: "
            + "shop/reviews)",
        "test.yaml: Sidecar shop/default: spec.egress[1].hosts[2]: partial wildcard \"api*.example.com\" not allowed "
            + "(value: */api*.example.com)");
  }
}
