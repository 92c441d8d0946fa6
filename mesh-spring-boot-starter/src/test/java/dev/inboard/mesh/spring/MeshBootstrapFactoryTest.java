package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.bootstrap.BootstrapLoader;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** mesh.* properties over a bootstrap istio-agent wrote (the grpc-agent injection template). */
class MeshBootstrapFactoryTest {
  static final String AGENT_BOOTSTRAP = """
      {
        "xds_servers": [{
          "server_uri": "unix:///etc/istio/proxy/XDS",
          "channel_creds": [{"type": "insecure"}],
          "server_features": ["xds_v3"]
        }],
        "node": {
          "id": "sidecar~10.244.0.12~reviews-v1-7d4b9c8f6-x2x9k.bookinfo~bookinfo.svc.cluster.local",
          "metadata": {
            "NAMESPACE": "bookinfo",
            "INSTANCE_IPS": "10.244.0.12",
            "GENERATOR": "grpc",
            "SERVICE_ACCOUNT": "bookinfo-reviews",
            "LABELS": {"app": "reviews", "version": "v1"}
          }
        },
        "server_listener_resource_name_template": "xds.istio.io/grpc/lds/inbound/%s"
      }
      """;
  static final BootstrapEnvironment AGENT_ENV =
      BootstrapEnvironment.ofVariables(Map.of("GRPC_XDS_BOOTSTRAP_CONFIG", AGENT_BOOTSTRAP));

  @Test
  void noNodeProperties_bootstrapExactlyAsTheLoaderReadsIt() {
    XdsBootstrap bootstrap = MeshBootstrapFactory.create(properties(Map.of(), Map.of()), AGENT_ENV,
        Optional.of("ignored-because-the-pod-has-an-app-label"));

    assertThat(bootstrap).isEqualTo(BootstrapLoader.load(AGENT_ENV));
  }

  @Test
  void portsProperty_addedToTheAgentNode_restKept() {
    XdsBootstrap bootstrap = MeshBootstrapFactory.create(properties(Map.of(), Map.of("grpc", 7070)), AGENT_ENV,
        Optional.empty());

    assertThat(bootstrap.server().target()).isEqualTo("unix:///etc/istio/proxy/XDS");
    assertThat(bootstrap.source()).isEqualTo("GRPC_XDS_BOOTSTRAP_CONFIG (inline JSON) with mesh.* properties");
    assertThat(bootstrap.serverListenerResourceNameTemplate()).contains("xds.istio.io/grpc/lds/inbound/%s");
    assertThat(bootstrap.node().id())
        .isEqualTo("sidecar~10.244.0.12~reviews-v1-7d4b9c8f6-x2x9k.bookinfo~bookinfo.svc.cluster.local");
    assertThat(bootstrap.node().generator()).contains("grpc");
    assertThat(bootstrap.node().serviceAccount()).contains("bookinfo-reviews");
    assertThat(bootstrap.node().labels()).containsOnly(Map.entry("app", "reviews"), Map.entry("version", "v1"));
    assertThat(bootstrap.node().metadataString("POD_PORTS"))
        .contains("[{\"name\":\"grpc\",\"containerPort\":7070,\"protocol\":\"TCP\"}]");
  }

  @Test
  void labelProperty_overridesTheAgentLabel() {
    XdsBootstrap bootstrap = MeshBootstrapFactory.create(properties(Map.of("version", "v2"), Map.of()), AGENT_ENV,
        Optional.empty());

    assertThat(bootstrap.node().labels()).containsOnly(Map.entry("app", "reviews"), Map.entry("version", "v2"));
    assertThat(bootstrap.node().cluster()).isEqualTo("reviews.bookinfo");
  }

  @Test
  void controlPlaneIpv6_acceptedWithBrackets() {
    MeshProperties properties = new MeshProperties(true, "[::1]:15010", null, null, Map.of(), Map.of(), null,
        OutboundPolicy.ALLOW_ANY, null);

    XdsBootstrap bootstrap = MeshBootstrapFactory.create(properties, AGENT_ENV, Optional.empty());

    assertThat(bootstrap.server().target()).isEqualTo("[::1]:15010");
    assertThat(bootstrap.source()).isEqualTo("mesh.control-plane [::1]:15010");
  }

  private static MeshProperties properties(Map<String, String> labels, Map<String, Integer> ports) {
    return new MeshProperties(true, null, null, null, labels, ports, null, OutboundPolicy.ALLOW_ANY, null);
  }
}
