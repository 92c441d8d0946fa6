package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The workload describes itself from server.port and server.address when the mesh.* properties do not. */
@ExtendWith(OutputCaptureExtension.class)
class MeshWorkloadRegistrationTest {
  /** Nothing listens on port 1: the mesh starts and retries without configuration. */
  static final String NOWHERE = "127.0.0.1:1";
  static final String PORT_ZERO_WARNING = "server.port=0 picks a free port at start-up, so the mesh cannot register"
      + " this workload by port; set mesh.ports.http to the port it serves on, e.g. mesh.ports.http=8080, or give"
      + " server.port a fixed number";

  final ApplicationContextRunner runner = runner(Map.of());

  private static ApplicationContextRunner runner(Map<String, String> environment) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(environment))
        .withPropertyValues("mesh.control-plane=" + NOWHERE, "spring.application.name=reviews");
  }

  private static NodeInfo node(org.springframework.context.ApplicationContext context) {
    return context.getBean(XdsBootstrap.class).node();
  }

  @Test
  void fixedServerPort_isTheHttpPort(CapturedOutput output) {
    runner.withPropertyValues("server.port=9080").run(context -> {
      assertThat(node(context).metadataString("POD_PORTS"))
          .contains("[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}]");
    });
    assertThat(output.getErr() + output.getOut())
        .contains("mesh.ports is not set: the workload registers port http=9080 from server.port");
  }

  @Test
  void meshPorts_overrideServerPort() {
    runner.withPropertyValues("server.port=9080", "mesh.ports.grpc=7070").run(context -> {
      assertThat(node(context).metadataString("POD_PORTS"))
          .contains("[{\"name\":\"grpc\",\"containerPort\":7070,\"protocol\":\"TCP\"}]");
    });
  }

  @Test
  void noServerPort_noPorts(CapturedOutput output) {
    runner.run(context -> {
      assertThat(node(context).metadataString("POD_PORTS")).isEmpty();
    });
    assertThat(output.getAll()).doesNotContain("server.port");
  }

  @Test
  void serverPortZero_oneWarningNamingTheFix_noPorts(CapturedOutput output) {
    runner.withPropertyValues("server.port=0").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(node(context).metadataString("POD_PORTS")).isEmpty();
    });
    String all = output.getAll();
    assertThat(all).contains("WARN dev.inboard.mesh.spring.Workload - " + PORT_ZERO_WARNING);
    assertThat(all.split(java.util.regex.Pattern.quote(PORT_ZERO_WARNING), -1)).hasSize(2);
  }

  @Test
  void serverPortZero_withMeshPorts_noWarning(CapturedOutput output) {
    runner.withPropertyValues("server.port=0", "mesh.ports.http=8081").run(context -> {
      assertThat(node(context).metadataString("POD_PORTS"))
          .contains("[{\"name\":\"http\",\"containerPort\":8081,\"protocol\":\"TCP\"}]");
    });
    assertThat(output.getAll()).doesNotContain(PORT_ZERO_WARNING);
  }

  @Test
  void literalServerAddress_isTheInstanceIp() {
    runner.withPropertyValues("server.port=9080", "server.address=127.0.0.7").run(context -> {
      NodeInfo node = node(context);
      assertThat(node.instanceIps()).containsExactly("127.0.0.7");
      assertThat(node.id()).isEqualTo("sidecar~127.0.0.7~inboard.default~default.svc.cluster.local");
    });
  }

  @Test
  void meshInstanceIp_overridesServerAddress() {
    runner.withPropertyValues("server.address=127.0.0.7", "mesh.instance-ip=127.0.0.9").run(context -> {
      assertThat(node(context).instanceIps()).containsExactly("127.0.0.9");
    });
  }

  @Test
  void wildcardOrHostNameServerAddress_isNoInstanceIp() {
    runner.withPropertyValues("server.address=0.0.0.0").run(context -> {
      assertThat(node(context).instanceIps()).containsExactly("127.0.0.1");
    });
    runner.withPropertyValues("server.address=localhost").run(context -> {
      assertThat(node(context).instanceIps()).containsExactly("127.0.0.1");
    });
  }

  @Test
  void environmentPodIp_winsOverServerAddress() {
    runner(Map.of("INSTANCE_IP", "10.244.0.12")).withPropertyValues("server.address=127.0.0.7").run(context -> {
      assertThat(node(context).instanceIps()).containsExactly("10.244.0.12");
    });
  }

  @Test
  void agentBootstrap_getsTheServerPort_keepsItsOwnIp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> MeshBootstrapFactoryTest.AGENT_ENV)
        .withPropertyValues("server.port=9080", "server.address=127.0.0.7")
        .run(context -> {
          NodeInfo node = node(context);
          assertThat(node.metadataString("POD_PORTS"))
              .contains("[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}]");
          assertThat(node.instanceIps()).containsExactly("10.244.0.12");
          assertThat(node.id())
              .isEqualTo("sidecar~10.244.0.12~reviews-v1-7d4b9c8f6-x2x9k.bookinfo~bookinfo.svc.cluster.local");
        });
  }

  @Test
  void localEnvironmentBootstrap_getsPortAndIp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(
            Map.of("INBOARD_XDS_ADDRESS", NOWHERE)))
        .withPropertyValues("server.port=9080", "server.address=127.0.0.7")
        .run(context -> {
          XdsBootstrap bootstrap = context.getBean(XdsBootstrap.class);
          assertThat(bootstrap.node().metadataString("POD_PORTS"))
              .contains("[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}]");
          assertThat(bootstrap.node().instanceIps()).containsExactly("127.0.0.7");
          assertThat(bootstrap.source()).endsWith(" with mesh.* properties");
        });
  }
}
