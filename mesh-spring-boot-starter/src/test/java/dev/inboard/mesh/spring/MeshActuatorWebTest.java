package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.actuate.web.WebMvcEndpointManagementContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code /actuator/mesh} and {@code /actuator/health/mesh} over Spring MVC, as an application serves them. */
class MeshActuatorWebTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  Server server;

  @BeforeEach
  void startServer() throws Exception {
    cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1)), List.of(endpoints(V1, "127.0.0.1:9081")),
        List.of(sidecarListener(9080, "9080")), List.of(routeTo("9080", HOST, V1)), List.of(), "1"));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  @Test
  void actuatorOverHttp_meshEndpointJson_andHealthUp() {
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshActuatorAutoConfiguration.class,
            JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
            WebMvcAutoConfiguration.class, DispatcherServletAutoConfiguration.class, EndpointAutoConfiguration.class,
            JacksonEndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
            WebMvcEndpointManagementContextConfiguration.class, HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
        .withPropertyValues("mesh.control-plane=127.0.0.1:" + port, "mesh.wait-for-config=10s",
            "management.endpoints.web.exposure.include=health,mesh", "management.endpoint.health.show-details=always")
        .run(context -> {
          assertThat(context).hasNotFailed();
          MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

          MvcResult dump = mvc.perform(MockMvcRequestBuilders.get("/actuator/mesh")).andReturn();
          assertThat(dump.getResponse().getStatus()).isEqualTo(200);
          assertThat(dump.getResponse().getContentType()).startsWith("application/vnd.spring-boot.actuator.v3+json");
          assertThat(dump.getResponse().getContentAsString()).contains("\"" + V1 + "\"")
              .contains("\"0.0.0.0_9080\"").contains("\"connection\":\"CONNECTED\"");

          MvcResult health = mvc.perform(MockMvcRequestBuilders.get("/actuator/health/mesh")).andReturn();
          assertThat(health.getResponse().getStatus()).isEqualTo(200);
          assertThat(health.getResponse().getContentAsString()).contains("\"status\":\"UP\"")
              .contains("\"clusters\":1");
        });
  }
}
