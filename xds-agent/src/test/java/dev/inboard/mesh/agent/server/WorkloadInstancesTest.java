package dev.inboard.mesh.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.registry.WorkloadInstance;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadInstancesTest {
  @Test
  void istioAgentNode_becomesAnAutoRegisteredWorkload() {
    NodeInfo node = NodeIdentity.builder()
        .namespace("bookinfo")
        .podName("reviews-v2-5b64f47978-x7k2p")
        .workloadName("reviews-v2")
        .app("reviews").version("v2")
        .label(WorkloadInstances.TLS_MODE_LABEL, "istio")
        .serviceAccount("bookinfo-reviews")
        .instanceIps("10.44.0.7", "fd00::7")
        .metadata("POD_PORTS", "[\n{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}\n,"
            + "{\"containerPort\":15090,\"protocol\":\"TCP\"},{\"name\":\"grpc\",\"containerPort\":7070}\n]")
        .metadata("NETWORK", "network-1")
        .locality(new NodeInfo.Locality("us-east1", "us-east1-b", ""))
        .build();

    assertThat(WorkloadInstances.fromNode(node)).contains(new WorkloadInstance(
        "reviews-v2", "bookinfo", "10.44.0.7",
        Map.of("app", "reviews", "version", "v2", "security.istio.io/tlsMode", "istio"),
        "bookinfo-reviews", Map.of("http", 9080, "grpc", 7070), "us-east1/us-east1-b", "network-1", true, 0,
        WorkloadInstance.Origin.AUTO_REGISTERED));
  }

  @Test
  void withoutWorkloadName_thePodNameOfTheNodeIdNamesIt_andPlaintextIsTheDefault() {
    NodeInfo node = new NodeInfo("sidecar~10.0.0.3~ratings-v1-abc.default~default.svc.cluster.local", "",
        Map.of("LABELS", Map.of("app", "ratings"), "INSTANCE_IPS", "10.0.0.3"), NodeInfo.Locality.EMPTY, "", "");

    WorkloadInstance w = WorkloadInstances.fromNode(node).orElseThrow();

    assertThat(w.name()).isEqualTo("ratings-v1-abc");
    assertThat(w.namespace()).isEqualTo("default");
    assertThat(w.serviceAccount()).isEqualTo("default");
    assertThat(w.ports()).isEmpty();
    assertThat(w.mtls()).isFalse();
    assertThat(w.locality()).isEmpty();
  }

  @Test
  void nodeWithoutLabelsOrAddress_isNoWorkload() {
    assertThat(WorkloadInstances.fromNode(NodeIdentity.builder().namespace("default").build())).isEmpty();
    assertThat(WorkloadInstances.fromNode(new NodeInfo("tool", "", Map.of("LABELS", Map.of("app", "x")),
        NodeInfo.Locality.EMPTY, "", ""))).isEmpty();
  }

  @Test
  void podPorts_structuredListOrBadJson() {
    assertThat(WorkloadInstances.ports(List.of(Map.of("name", "http", "containerPort", 8080.0))))
        .isEqualTo(Map.of("http", 8080));
    assertThat(WorkloadInstances.ports("[{\"name\":\"http\",")).isEmpty();
    assertThat(WorkloadInstances.ports("[{\"name\":\"http\",\"containerPort\":70000}]")).isEmpty();
  }

  @Test
  void nodeAskingNotToRegister_isNotAWorkload() {
    NodeInfo node = NodeIdentity.builder().namespace("default").podName("look")
        .app("productpage").instanceIps("10.0.0.9").metadata(WorkloadInstances.REGISTER, "false").build();

    assertThat(WorkloadInstances.fromNode(node)).isEmpty();
  }
}
