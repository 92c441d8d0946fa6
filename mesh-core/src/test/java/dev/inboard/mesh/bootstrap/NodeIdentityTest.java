package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  /** The environment Istio's grpc-agent injection template gives a pod (see grpc-agent.yaml.injected). */
  private static Map<String, String> grpcAgentPod() {
    Map<String, String> env = new HashMap<>();
    env.put("ISTIO_META_GENERATOR", "grpc");
    env.put("OUTPUT_CERTS", "/var/lib/istio/data");
    env.put("PILOT_CERT_PROVIDER", "istiod");
    env.put("CA_ADDR", "istiod.istio-system.svc:15012");
    env.put("POD_NAME", "reviews-v1-7d4b9c5f6-xk2pq");
    env.put("POD_NAMESPACE", "bookinfo");
    env.put("INSTANCE_IP", "10.44.1.17");
    env.put("SERVICE_ACCOUNT", "bookinfo-reviews");
    env.put("HOST_IP", "10.128.0.4");
    env.put("PROXY_CONFIG", "{}\n");
    env.put("ISTIO_META_POD_PORTS", "[\n{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}\n]");
    env.put("ISTIO_META_APP_CONTAINERS", "reviews");
    env.put("ISTIO_META_CLUSTER_ID", "Kubernetes");
    env.put("ISTIO_META_NODE_NAME", "gke-pool-1-abcd");
    env.put("ISTIO_META_WORKLOAD_NAME", "reviews-v1");
    env.put("ISTIO_META_OWNER", "kubernetes://apis/apps/v1/namespaces/bookinfo/deployments/reviews-v1");
    env.put("ISTIO_META_MESH_ID", "cluster.local");
    env.put("TRUST_DOMAIN", "cluster.local");
    env.put("ISTIO_META_DNS_CAPTURE", "false");
    env.put("DISABLE_ENVOY", "true");
    return env;
  }

  private static final String LABELS_FILE =
      """
      app="reviews"
      pod-template-hash="7d4b9c5f6"
      security.istio.io/tlsMode="istio"
      service.istio.io/canonical-name="reviews"
      service.istio.io/canonical-revision="v1"
      version="v1\"""";

  @Test
  void grpcAgentPod_nodeAsIstioAgentBuildsIt() {
    BootstrapEnvironment env = new BootstrapEnvironment(grpcAgentPod(), Map.of(), Optional.of(LABELS_FILE));

    NodeInfo node = NodeIdentity.fromEnvironment(env);

    Map<String, String> labels =
        Map.of(
            "app", "reviews",
            "security.istio.io/tlsMode", "istio",
            "service.istio.io/canonical-name", "reviews",
            "service.istio.io/canonical-revision", "v1",
            "version", "v1");
    assertThat(node)
        .isEqualTo(
            new NodeInfo(
                "sidecar~10.44.1.17~reviews-v1-7d4b9c5f6-xk2pq.bookinfo~bookinfo.svc.cluster.local",
                "reviews.bookinfo",
                Map.ofEntries(
                    entry("GENERATOR", "grpc"),
                    entry("POD_PORTS", "[\n{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}\n]"),
                    entry("APP_CONTAINERS", "reviews"),
                    entry("CLUSTER_ID", "Kubernetes"),
                    entry("NODE_NAME", "gke-pool-1-abcd"),
                    entry("WORKLOAD_NAME", "reviews-v1"),
                    entry("OWNER", "kubernetes://apis/apps/v1/namespaces/bookinfo/deployments/reviews-v1"),
                    entry("MESH_ID", "cluster.local"),
                    entry("DNS_CAPTURE", "false"),
                    entry("INSTANCE_IPS", "10.44.1.17"),
                    entry("NAME", "reviews-v1-7d4b9c5f6-xk2pq"),
                    entry("NAMESPACE", "bookinfo"),
                    entry("SERVICE_ACCOUNT", "bookinfo-reviews"),
                    entry("LABELS", labels)),
                NodeInfo.Locality.EMPTY,
                NodeInfo.USER_AGENT_NAME,
                NodeInfo.USER_AGENT_VERSION));
    assertThat(node.namespace()).contains("bookinfo");
    assertThat(node.labels()).isEqualTo(labels);
    assertThat(node.workloadName()).contains("reviews-v1");
    assertThat(node.serviceAccount()).contains("bookinfo-reviews");
    assertThat(node.clusterId()).contains("Kubernetes");
    assertThat(node.meshId()).contains("cluster.local");
    assertThat(node.instanceIps()).containsExactly("10.44.1.17");
    assertThat(node.generator()).contains("grpc");
    assertThat(node.shape()).isEqualTo(ConfigShape.GRPC);
  }

  @Test
  void noIstioMeta_defaultsAsTheInjectorSetsThem() {
    Map<String, String> env =
        Map.of("POD_NAME", "ratings-v1-abc", "POD_NAMESPACE", "default", "INSTANCE_IP", "10.0.0.9");

    NodeInfo node = NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env));

    assertThat(node.id()).isEqualTo("sidecar~10.0.0.9~ratings-v1-abc.default~default.svc.cluster.local");
    assertThat(node.clusterId()).contains("Kubernetes");
    assertThat(node.meshId()).contains("cluster.local");
    assertThat(node.serviceAccount()).contains("default");
    assertThat(node.shape()).isEqualTo(ConfigShape.SIDECAR);
    assertThat(node.metadata()).doesNotContainKeys("LABELS", "GENERATOR", "ISTIO_VERSION");
    assertThat(node.cluster()).isEqualTo("istio-proxy.default");
  }

  @Test
  void trustDomain_becomesMeshIdWhenNoneGiven() {
    Map<String, String> env = Map.of("POD_NAMESPACE", "default", "TRUST_DOMAIN", "prod.example.com");

    assertThat(NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)).meshId())
        .contains("prod.example.com");
  }

  @Test
  void istioMetaJsonLabels_becomeLabelsAndStaticLabels_labelsFileWins() {
    Map<String, String> env = new HashMap<>();
    env.put("POD_NAMESPACE", "default");
    env.put("ISTIO_METAJSON_LABELS", "{\"app\": \"productpage\", \"version\": \"v0\", \"pod-template-hash\": \"x1\"}");

    NodeInfo node =
        NodeIdentity.fromEnvironment(new BootstrapEnvironment(env, Map.of(), Optional.of("version=\"v1\"\n")));

    assertThat(node.labels())
        .isEqualTo(Map.of("app", "productpage", "version", "v1", "pod-template-hash", "x1"));
    assertThat(node.metadata().get("STATIC_LABELS"))
        .isEqualTo(Map.of("app", "productpage", "version", "v0", "pod-template-hash", "x1"));
    // pilot-agent merges every ISTIO_METAJSON_ object into the top level too.
    assertThat(node.metadata()).containsEntry("app", "productpage").containsEntry("version", "v0");
    assertThat(node.cluster()).isEqualTo("productpage.default");
  }

  @Test
  void istioMetaJson_anyObject_mergedIntoTopLevel() {
    Map<String, String> env =
        Map.of(
            "ISTIO_METAJSON_PLATFORM",
            "{\"PLATFORM_METADATA\": {\"gcp_project\": \"p1\"}, \"ENVOY_STATUS_PORT\": 15021}",
            "ISTIO_META_INTERCEPTION_MODE", "NONE");

    NodeInfo node = NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env));

    assertThat(node.metadata())
        .containsEntry("PLATFORM_METADATA", Map.of("gcp_project", "p1"))
        .containsEntry("ENVOY_STATUS_PORT", 15021.0)
        .containsEntry("INTERCEPTION_MODE", "NONE");
  }

  @Test
  void istioMetaJson_notJson_isRejected() {
    Map<String, String> env = Map.of("ISTIO_METAJSON_ANNOTATIONS", "{sidecar.istio.io/inject: true}");

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "ISTIO_METAJSON_ANNOTATIONS is not valid JSON (Unexpected character ('s' (code 115)): was expecting "
                + "double-quote to start field name); set it to a JSON object such as {\"key\":\"value\"} or unset it");
  }

  @Test
  void istioMetaJson_notAnObject_isRejected() {
    Map<String, String> env = Map.of("ISTIO_METAJSON_LABELS", "[\"app\"]");

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)))
        .hasMessage(
            "ISTIO_METAJSON_LABELS is not a JSON object; set it to a JSON object such as {\"key\":\"value\"} or "
                + "unset it");
  }

  @Test
  void istioMetaJsonLabels_nonStringValue_isRejected() {
    Map<String, String> env = Map.of("ISTIO_METAJSON_LABELS", "{\"app\": \"reviews\", \"replicas\": 3}");

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)))
        .hasMessage(
            "ISTIO_METAJSON_LABELS: label \"replicas\" is not a string; labels map names to strings, e.g. "
                + "{\"app\":\"reviews\",\"version\":\"v1\"}");
  }

  @Test
  void istioMetaLabels_asString_isRejected() {
    Map<String, String> env = Map.of("ISTIO_META_LABELS", "app=reviews");

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)))
        .hasMessage(
            "ISTIO_META_LABELS is set; labels are a map: set ISTIO_METAJSON_LABELS to a JSON object such as "
                + "{\"app\":\"reviews\",\"version\":\"v1\"} instead");
  }

  @Test
  void instanceIp_notAnIp_isRejected() {
    Map<String, String> env = Map.of("INSTANCE_IP", "reviews.local");

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env)))
        .hasMessage(
            "INSTANCE_IP \"reviews.local\" is not an IP address; set it from the downward API "
                + "(valueFrom.fieldRef.fieldPath: status.podIP)");
  }

  @Test
  void instanceIp_ipv6_usedInId() {
    Map<String, String> env = Map.of("POD_NAME", "p", "POD_NAMESPACE", "ns", "INSTANCE_IP", "fd00:10:44::11");

    NodeInfo node = NodeIdentity.fromEnvironment(BootstrapEnvironment.ofVariables(env));

    assertThat(node.id()).isEqualTo("sidecar~fd00:10:44::11~p.ns~ns.svc.cluster.local");
    assertThat(node.instanceIps()).containsExactly("fd00:10:44::11");
  }

  @Test
  void localityLabel_dotsBecomeSlashes_andFillLocality() {
    BootstrapEnvironment env =
        new BootstrapEnvironment(
            Map.of("POD_NAMESPACE", "default"), Map.of(), Optional.of("istio-locality=\"us-east1.us-east1-b.rack7\""));

    NodeInfo node = NodeIdentity.fromEnvironment(env);

    assertThat(node.locality()).isEqualTo(new NodeInfo.Locality("us-east1", "us-east1-b", "rack7"));
    assertThat(node.labels()).containsEntry("istio-locality", "us-east1/us-east1-b/rack7");
  }

  @Test
  void dnsDomainSetting_usedInNodeId() {
    BootstrapEnvironment env =
        new BootstrapEnvironment(
            Map.of("POD_NAME", "p", "POD_NAMESPACE", "ns", "INSTANCE_IP", "10.0.0.1"),
            Map.of("inboard.xds.dns-domain", "ns.svc.corp.internal"),
            Optional.empty());

    assertThat(NodeIdentity.fromEnvironment(env).id()).isEqualTo("sidecar~10.0.0.1~p.ns~ns.svc.corp.internal");
  }

  @Test
  void labelsFile_malformedValue_isRejectedNamingTheLine() {
    BootstrapEnvironment env =
        new BootstrapEnvironment(Map.of(), Map.of(), Optional.of("app=\"reviews\"\nversion=v1\n"));

    assertThatThrownBy(() -> NodeIdentity.fromEnvironment(env))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "pod labels file /etc/istio/pod/labels: line 2: value of version is not a double-quoted string: v1; the "
                + "file must hold key=\"value\" lines as the downward API writes them");
  }

  @Test
  void builder_localWorkload_nodeAsIstioAgentWouldSendIt() {
    NodeInfo node =
        NodeIdentity.builder()
            .namespace("default")
            .workloadName("reviews-v2")
            .app("reviews")
            .version("v2")
            .serviceAccount("bookinfo-reviews")
            .instanceIps("127.0.0.1")
            .port("http", 9080)
            .shape(ConfigShape.GRPC)
            .metadata(IstioMetadata.APP_CONTAINERS, "reviews")
            .build();

    assertThat(node)
        .isEqualTo(
            new NodeInfo(
                "sidecar~127.0.0.1~reviews-v2.default~default.svc.cluster.local",
                "reviews.default",
                Map.ofEntries(
                    entry("NAMESPACE", "default"),
                    entry("NAME", "reviews-v2"),
                    entry("WORKLOAD_NAME", "reviews-v2"),
                    entry("SERVICE_ACCOUNT", "bookinfo-reviews"),
                    entry("INSTANCE_IPS", "127.0.0.1"),
                    entry("GENERATOR", "grpc"),
                    entry("APP_CONTAINERS", "reviews"),
                    entry("CLUSTER_ID", "Kubernetes"),
                    entry("MESH_ID", "cluster.local"),
                    entry("LABELS", Map.of("app", "reviews", "version", "v2")),
                    entry("POD_PORTS", "[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}]")),
                NodeInfo.Locality.EMPTY,
                NodeInfo.USER_AGENT_NAME,
                NodeInfo.USER_AGENT_VERSION));
  }

  @Test
  void builder_nothingSet_localDefaults() {
    NodeInfo node = NodeIdentity.builder().build();

    assertThat(node.id()).isEqualTo("sidecar~127.0.0.1~inboard.default~default.svc.cluster.local");
    assertThat(node.instanceIps()).containsExactly("127.0.0.1");
    assertThat(node.shape()).isEqualTo(ConfigShape.SIDECAR);
  }

  @Test
  void builder_applyEnvironmentOverridesEarlierValues() {
    NodeInfo node =
        NodeIdentity.builder()
            .namespace("local")
            .podName("dev")
            .applyEnvironment(BootstrapEnvironment.ofVariables(Map.of("POD_NAMESPACE", "prod")))
            .build();

    assertThat(node.id()).isEqualTo("sidecar~127.0.0.1~dev.prod~prod.svc.cluster.local");
  }

  @Test
  void builder_badIp_isRejected() {
    assertThatThrownBy(() -> NodeIdentity.builder().instanceIps("10.0.0.300"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance IP \"10.0.0.300\" is not an IP address");
  }

  @Test
  void builder_tildeInIdPart_isRejected() {
    assertThatThrownBy(() -> NodeIdentity.builder().podName("a~b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node id part \"a~b\" must not contain '~'");
  }

  @Test
  void nodeInfo_metadataWithObjectValue_isRejected() {
    assertThatThrownBy(
            () ->
                new NodeInfo(
                    "n", "", Map.of("WHEN", new Object()), NodeInfo.Locality.EMPTY, "inboard", "dev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata[WHEN] must be a string, number, boolean, list or map, was java.lang.Object");
  }

  @Test
  void nodeInfo_instanceIpsAsList_accepted() {
    NodeInfo node =
        new NodeInfo(
            "n", "", Map.of("INSTANCE_IPS", List.of("10.0.0.1", "fd00::1")), NodeInfo.Locality.EMPTY, "inboard", "dev");

    assertThat(node.instanceIps()).containsExactly("10.0.0.1", "fd00::1");
  }
}
