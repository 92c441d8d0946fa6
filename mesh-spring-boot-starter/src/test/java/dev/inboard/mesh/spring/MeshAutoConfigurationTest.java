package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.bootstrap.ControlPlaneServer;
import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MeshAutoConfigurationTest {
  /** Nothing listens on port 1, so the mesh starts and keeps retrying without ever getting configuration. */
  static final String NOWHERE = "127.0.0.1:1";

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(
          Map.of("INBOARD_XDS_ADDRESS", NOWHERE, "POD_NAMESPACE", "bookinfo")));

  @Test
  void defaults_meshStarted_withTheBootstrapTheEnvironmentGives() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(Mesh.class);
      XdsBootstrap bootstrap = context.getBean(XdsBootstrap.class);
      assertThat(bootstrap.server().target()).isEqualTo(NOWHERE);
      assertThat(bootstrap.source()).isEqualTo("local control plane (outside Kubernetes) " + NOWHERE);
      assertThat(bootstrap.node().namespace()).contains("bookinfo");
      assertThat(bootstrap.node().labels()).isEmpty();
      assertThat(context.getBean(Mesh.class).options().outboundPolicy()).isEqualTo(MeshOptions.OutboundPolicy.ALLOW_ANY);
    });
  }

  @Test
  void userMesh_autoConfiguredMeshBacksOff() {
    XdsBootstrap own = new XdsBootstrap(ControlPlaneServer.plaintext(NOWHERE),
        NodeIdentity.builder().namespace("mine").build(), Map.of(), Optional.empty(), "test");
    runner.withBean("ownMesh", Mesh.class, () -> Mesh.start(MeshOptions.builder().bootstrap(own).build()),
            bd -> bd.setDestroyMethodName("close"))
        .run(context -> {
          assertThat(context).hasSingleBean(Mesh.class).hasBean("ownMesh").doesNotHaveBean("mesh");
        });
  }

  @Test
  void userBootstrap_isTheOneTheMeshUses() {
    XdsBootstrap own = new XdsBootstrap(ControlPlaneServer.plaintext(NOWHERE),
        NodeIdentity.builder().namespace("mine").build(), Map.of(), Optional.empty(), "test");
    runner.withBean(XdsBootstrap.class, () -> own).run(context -> {
      assertThat(context).hasSingleBean(XdsBootstrap.class).hasSingleBean(Mesh.class);
      assertThat(context.getBean(Mesh.class).xds().syncState().server()).isEqualTo(NOWHERE);
      assertThat(context.getBean(XdsBootstrap.class)).isSameAs(own);
    });
  }

  @Test
  void enabledFalse_noMesh() {
    runner.withPropertyValues("mesh.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(Mesh.class).doesNotHaveBean(XdsBootstrap.class);
    });
  }

  @Test
  void properties_reachTheNode() {
    runner.withPropertyValues(
            "spring.application.name=reviews",
            "mesh.control-plane=127.0.0.1:15999",
            "mesh.namespace=shop",
            "mesh.service-account=bookinfo-reviews",
            "mesh.labels.version=v2",
            "mesh.ports.http=9080",
            "mesh.ports.grpc-admin=9090",
            "mesh.instance-ip=10.244.0.12",
            "mesh.outbound-policy=registry-only")
        .run(context -> {
          XdsBootstrap bootstrap = context.getBean(XdsBootstrap.class);
          NodeInfo node = bootstrap.node();
          assertThat(bootstrap.server().target()).isEqualTo("127.0.0.1:15999");
          assertThat(bootstrap.source()).isEqualTo("mesh.control-plane 127.0.0.1:15999");
          assertThat(node.id()).isEqualTo("sidecar~10.244.0.12~inboard.shop~shop.svc.cluster.local");
          assertThat(node.cluster()).isEqualTo("reviews.shop");
          assertThat(node.namespace()).contains("shop");
          assertThat(node.serviceAccount()).contains("bookinfo-reviews");
          assertThat(node.instanceIps()).containsExactly("10.244.0.12");
          assertThat(node.labels()).containsOnly(Map.entry("app", "reviews"), Map.entry("version", "v2"));
          assertThat(node.metadataString("POD_PORTS")).contains(
              "[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"},"
                  + "{\"name\":\"grpc-admin\",\"containerPort\":9090,\"protocol\":\"TCP\"}]");
          assertThat(context.getBean(Mesh.class).options().outboundPolicy())
              .isEqualTo(MeshOptions.OutboundPolicy.REGISTRY_ONLY);
        });
  }

  @Test
  void properties_overrideTheEnvironment_environmentOverridesApplicationName() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of(
            "INBOARD_XDS_ADDRESS", NOWHERE,
            "POD_NAMESPACE", "from-env",
            "SERVICE_ACCOUNT", "env-account",
            "ISTIO_METAJSON_LABELS", "{\"app\":\"ratings\",\"version\":\"v1\"}")))
        .withPropertyValues("spring.application.name=ignored", "mesh.namespace=bookinfo", "mesh.labels.version=v3")
        .run(context -> {
          NodeInfo node = context.getBean(XdsBootstrap.class).node();
          assertThat(node.namespace()).contains("bookinfo");
          assertThat(node.id()).isEqualTo("sidecar~127.0.0.1~inboard.bookinfo~bookinfo.svc.cluster.local");
          assertThat(node.serviceAccount()).contains("env-account");
          assertThat(node.labels()).containsOnly(Map.entry("app", "ratings"), Map.entry("version", "v3"));
          assertThat(context.getBean(XdsBootstrap.class).source())
              .isEqualTo("local control plane (outside Kubernetes) " + NOWHERE + " with mesh.* properties");
        });
  }

  @Test
  void applicationName_isTheDefaultAppLabel() {
    runner.withPropertyValues("spring.application.name=productpage").run(context -> {
      assertThat(context.getBean(XdsBootstrap.class).node().labels()).containsOnly(Map.entry("app", "productpage"));
      assertThat(context.getBean(XdsBootstrap.class).node().cluster()).isEqualTo("productpage.bookinfo");
    });
  }

  @Test
  void meshBean_closedWithTheContext() {
    Mesh[] mesh = new Mesh[1];
    runner.run(context -> mesh[0] = context.getBean(Mesh.class));
    assertThat(mesh[0].xds().syncState().connection())
        .isEqualTo(dev.inboard.mesh.xds.XdsSyncState.ConnectionState.SHUTDOWN);
  }
}
