package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.badMaglevCluster;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.admin.ConfigDump;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The actuator endpoint and health indicator against a real xDS server (java-control-plane) on loopback. */
class MeshActuatorTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  final List<Node> nodes = new CopyOnWriteArrayList<>();
  Server server;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshActuatorAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
      .withPropertyValues("management.endpoints.web.exposure.include=mesh,health",
          "management.endpoints.jmx.exposure.include=mesh,health");

  @BeforeEach
  void startServer() throws Exception {
    cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:9081"), endpoints(V2, "127.0.0.1:9082")),
        List.of(sidecarListener(9080, "9080")), List.of(routeTo("9080", HOST, V1)), List.of(), "1"));
    V3DiscoveryServer discovery = new V3DiscoveryServer(new io.envoyproxy.controlplane.server.DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest request) {
        if (request.hasNode()) {
          nodes.add(request.getNode());
        }
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId,
          io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest request) {
        if (request.hasNode()) {
          nodes.add(request.getNode());
        }
      }
    }, cache);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  private String controlPlane() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  @Test
  void waitForConfig_healthUp_andEndpointDumpsTheClusters() {
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s",
            "spring.application.name=productpage", "mesh.namespace=bookinfo", "mesh.ports.http=9080")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(MeshEndpoint.class).hasSingleBean(MeshHealthIndicator.class);

          Health health = context.getBean(MeshHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("server", controlPlane()).containsEntry("clusters", 2)
              .containsEntry("connection", "CONNECTED");

          Map<String, Object> dump = context.getBean(MeshEndpoint.class).configDump();
          assertThat(dump).containsOnlyKeys("snapshot", "xds");
          String json = ConfigDump.write(dump);
          assertThat(json).contains("\"" + V1 + "\"").contains("\"" + V2 + "\"").contains("\"0.0.0.0_9080\"")
              .contains("\"connection\" : \"CONNECTED\"");

          // The control plane saw the node the properties describe.
          Node node = nodes.get(0);
          assertThat(node.getId()).isEqualTo("sidecar~127.0.0.1~inboard.bookinfo~bookinfo.svc.cluster.local");
          assertThat(node.getCluster()).isEqualTo("productpage.bookinfo");
          assertThat(node.getMetadata().getFieldsOrThrow("POD_PORTS").getStringValue())
              .isEqualTo("[{\"name\":\"http\",\"containerPort\":9080,\"protocol\":\"TCP\"}]");
        });
  }

  @Test
  void refusedUpdate_healthStaysUp_andNamesTheRejection() {
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s").run(context -> {
      MeshHealthIndicator indicator = context.getBean(MeshHealthIndicator.class);
      assertThat(indicator.health().getDetails()).doesNotContainKey("rejected");

      cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1), badMaglevCluster(V2)),
          List.of(endpoints(V1, "127.0.0.1:9081"), endpoints(V2, "127.0.0.1:9082")),
          List.of(sidecarListener(9080, "9080")), List.of(routeTo("9080", HOST, V1)), List.of(), "2"));

      org.awaitility.Awaitility.await().until(() -> indicator.health().getDetails().containsKey("rejected"));
      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails().get("rejected")).isEqualTo(Map.of("Cluster",
          "Cluster '" + V2 + "': lb_policy MAGLEV: table_size must be prime, was 100"));
    });
  }

  @Test
  void beforeFirstConfig_healthOutOfServiceWithTheReason() {
    runner.withPropertyValues("mesh.control-plane=" + MeshAutoConfigurationTest.NOWHERE).run(context -> {
      Health health = context.getBean(MeshHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat((String) health.getDetails().get("reason")).startsWith(
          "waiting for the first complete configuration from " + MeshAutoConfigurationTest.NOWHERE + " (connection ");
    });
  }

  @Test
  void closedMesh_healthDown() {
    runner.withPropertyValues("mesh.control-plane=" + controlPlane()).run(context -> {
      Mesh mesh = context.getBean(Mesh.class);
      mesh.close();
      org.awaitility.Awaitility.await().until(() -> context.getBean(MeshHealthIndicator.class).health().getStatus(),
          Status.DOWN::equals);
      assertThat(context.getBean(MeshHealthIndicator.class).health().getDetails())
          .containsEntry("reason", "the mesh is closed");
    });
  }

  @Test
  void healthIndicatorDisabled_noIndicator_endpointNotExposed_noEndpoint() {
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "management.health.mesh.enabled=false",
            "management.endpoints.web.exposure.include=health", "management.endpoints.jmx.exposure.include=health")
        .run(context -> assertThat(context).doesNotHaveBean(MeshHealthIndicator.class)
            .doesNotHaveBean(MeshEndpoint.class));
  }

  @Test
  void meshDisabled_noActuatorBeans() {
    runner.withPropertyValues("mesh.enabled=false").run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshHealthIndicator.class).doesNotHaveBean(MeshEndpoint.class));
  }
}
