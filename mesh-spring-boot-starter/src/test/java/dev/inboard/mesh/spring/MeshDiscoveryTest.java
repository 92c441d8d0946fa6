package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.address;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;
import reactor.core.Disposable;

/**
 * Spring Cloud discovery and load balancing over the mesh: java-control-plane on loopback serves clusters and
 * endpoints (with EDS metadata, locality, health and transport socket matches); the discovery clients and the
 * load balancer's supplier show them and follow changes.
 */
class MeshDiscoveryTest {
  static final String REVIEWS_HOST = "reviews.default.svc.cluster.local";
  static final String REVIEWS = clusterName(9080, "", REVIEWS_HOST);
  static final String REVIEWS_ADMIN = clusterName(9090, "", REVIEWS_HOST);
  static final String REVIEWS_V1 = clusterName(9080, "v1", REVIEWS_HOST);
  static final String RATINGS = clusterName(9080, "", "ratings.default.svc.cluster.local");
  static final String DETAILS = clusterName(8080, "", "details.other.svc.cluster.local");
  static final String WORKLOAD = "reviews-v1;default;reviews;v1;Kubernetes";

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  final MockWebServer ratings = new MockWebServer();
  Server server;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshDiscoveryAutoConfiguration.class,
          UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
          CompositeDiscoveryClientAutoConfiguration.class, ReactiveCompositeDiscoveryClientAutoConfiguration.class,
          LoadBalancerAutoConfiguration.class, BlockingLoadBalancerClientAutoConfiguration.class,
          org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()));

  @BeforeEach
  void start() throws Exception {
    ratings.enqueue(new MockResponse.Builder().code(200).body("ratings").build());
    ratings.start();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
    ratings.close();
  }

  private static Struct struct(String key, String value) {
    return Struct.newBuilder().putFields(key, Value.newBuilder().setStringValue(value).build()).build();
  }

  /** Istio's auto-mTLS shape without SDS: TLS for endpoints labelled tlsMode=istio, plaintext for the others. */
  private static Cluster tlsByLabel(String name) {
    return edsCluster(name).toBuilder()
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-istio")
            .setMatch(struct("tlsMode", "istio"))
            .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder().setSni(REVIEWS_HOST).build()))))
        .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-disabled")
            .setMatch(Struct.getDefaultInstance())
            .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.raw_buffer")
                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))))
        .build();
  }

  private static LbEndpoint.Builder endpoint(String ip, int port) {
    return LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address(ip, port)));
  }

  private static ClusterLoadAssignment reviewsEndpoints(String... extraIps) {
    LocalityLbEndpoints.Builder zone = LocalityLbEndpoints.newBuilder()
        .setLocality(Locality.newBuilder().setRegion("us-east").setZone("us-east-1a"))
        .addLbEndpoints(endpoint("127.0.0.11", 9080).setMetadata(Metadata.newBuilder()
            .putFilterMetadata("istio", struct("workload", WORKLOAD))
            .putFilterMetadata("envoy.transport_socket_match", struct("tlsMode", "istio"))))
        .addLbEndpoints(endpoint("127.0.0.12", 9080))
        .addLbEndpoints(endpoint("127.0.0.13", 9080).setHealthStatus(HealthStatus.UNHEALTHY));
    for (String ip : extraIps) {
      zone.addLbEndpoints(endpoint(ip, 9080));
    }
    return ClusterLoadAssignment.newBuilder().setClusterName(REVIEWS).addEndpoints(zone).build();
  }

  private void serve(String version, ClusterLoadAssignment reviews) {
    cache.setSnapshot("bookinfo", Snapshot.create(
        List.of(tlsByLabel(REVIEWS), edsCluster(REVIEWS_ADMIN), edsCluster(REVIEWS_V1), edsCluster(RATINGS),
            edsCluster(DETAILS)),
        List.of(reviews, endpoints(REVIEWS_ADMIN, "127.0.0.11:9090"), endpoints(REVIEWS_V1, "127.0.0.11:9080"),
            endpoints(RATINGS, "127.0.0.1:" + ratings.getPort()), endpoints(DETAILS, "127.0.0.31:8080")),
        List.of(sidecarListener(9080, "9080")), List.of(routeTo("9080", REVIEWS_HOST, REVIEWS)), List.of(),
        version));
  }

  private ApplicationContextRunner meshRunner() {
    String controlPlane = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return runner.withPropertyValues("mesh.control-plane=" + controlPlane, "mesh.wait-for-config=10s",
        "mesh.namespace=default");
  }

  private static List<String> hosts(List<ServiceInstance> instances) {
    return instances.stream().map(ServiceInstance::getHost).sorted().toList();
  }

  @Test
  void discoveryClient_listsTheServicesTheWorkloadSees_byTheNamesAUserAddresses() {
    serve("1", reviewsEndpoints());
    meshRunner().run(context -> {
      assertThat(context).hasNotFailed();
      DiscoveryClient mesh = context.getBean(MeshDiscoveryClient.class);
      assertThat(mesh.getServices()).containsExactly("details.other", "ratings", "reviews");
      // Spring Cloud's composite client includes the mesh's.
      assertThat(context.getBean(DiscoveryClient.class).getServices()).contains("reviews", "ratings");

      for (String id : List.of("reviews", "REVIEWS", "reviews.default", "reviews.default.svc", REVIEWS_HOST)) {
        assertThat(hosts(mesh.getInstances(id))).as(id).containsExactly("127.0.0.11", "127.0.0.12");
      }
      assertThat(mesh.getInstances("details.other")).extracting(ServiceInstance::getPort).containsExactly(8080);
      assertThat(mesh.getInstances("details")).as("another namespace's short name").isEmpty();
      assertThat(mesh.getInstances("productpage")).isEmpty();
    });
  }

  @Test
  void instances_carryPortSecureFlagAndEdsMetadata() {
    serve("1", reviewsEndpoints());
    meshRunner().run(context -> {
      List<ServiceInstance> instances = context.getBean(MeshDiscoveryClient.class).getInstances("reviews");
      ServiceInstance tls = instances.stream().filter(i -> i.getHost().equals("127.0.0.11")).findFirst().orElseThrow();
      ServiceInstance plain = instances.stream().filter(i -> i.getHost().equals("127.0.0.12")).findFirst()
          .orElseThrow();

      // The lowest of the service's ports (9080, not the admin 9090), and the endpoint's port.
      assertThat(tls.getPort()).isEqualTo(9080);
      assertThat(tls.getServiceId()).isEqualTo("reviews");
      assertThat(tls.getInstanceId()).isEqualTo("127.0.0.11:9080");
      assertThat(tls.isSecure()).isTrue();
      assertThat(tls.getUri().toString()).isEqualTo("https://127.0.0.11:9080");
      assertThat(tls.getMetadata()).containsEntry("mesh.cluster", REVIEWS).containsEntry("mesh.service-port", "9080")
          .containsEntry("mesh.tls", "simple").containsEntry("mesh.locality.region", "us-east")
          .containsEntry("mesh.locality.zone", "us-east-1a").containsEntry("istio.workload", WORKLOAD)
          .containsEntry("envoy.transport_socket_match.tlsMode", "istio").containsEntry("mesh.weight", "1");
      assertThat(plain.isSecure()).isFalse();
      assertThat(plain.getMetadata()).containsEntry("mesh.tls", "none").doesNotContainKey("istio.workload");
    });
  }

  @Test
  void reactiveDiscoveryClient_sameView() {
    serve("1", reviewsEndpoints());
    meshRunner().run(context -> {
      ReactiveDiscoveryClient reactive = context.getBean(MeshReactiveDiscoveryClient.class);
      assertThat(reactive.getServices().collectList().block(Duration.ofSeconds(5)))
          .containsExactly("details.other", "ratings", "reviews");
      assertThat(hosts(reactive.getInstances("reviews.default").collectList().block(Duration.ofSeconds(5))))
          .containsExactly("127.0.0.11", "127.0.0.12");
    });
  }

  @Test
  void snapshotChanges_reachTheClientsAndTheSupplier() {
    serve("1", reviewsEndpoints());
    meshRunner().run(context -> {
      DiscoveryClient mesh = context.getBean(MeshDiscoveryClient.class);
      ServiceInstanceListSupplier supplier = context.getBean(LoadBalancerClientFactory.class)
          .getInstance("reviews", ServiceInstanceListSupplier.class);
      assertThat(supplier).isInstanceOf(MeshServiceInstanceListSupplier.class);
      List<List<ServiceInstance>> seen = new CopyOnWriteArrayList<>();
      Disposable subscription = supplier.get().subscribe(seen::add);
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

        serve("2", reviewsEndpoints("127.0.0.14"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hosts(mesh.getInstances("reviews")))
            .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.14"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(hosts(seen.get(seen.size() - 1)))
            .containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.14"));
        assertThat(hosts(seen.get(0))).containsExactly("127.0.0.11", "127.0.0.12");
      } finally {
        subscription.dispose();
      }
    });
  }

  @Test
  void loadBalancer_picksMeshEndpoints_andOtherDiscoveryForServicesOutsideTheMesh() {
    serve("1", reviewsEndpoints());
    meshRunner().withPropertyValues("spring.cloud.discovery.client.simple.instances.stores[0].uri=http://10.9.9.9:7000")
        .run(context -> {
          LoadBalancerClient lb = context.getBean(LoadBalancerClient.class);
          for (int i = 0; i < 10; i++) {
            assertThat(lb.choose("reviews").getHost()).isIn("127.0.0.11", "127.0.0.12");
          }
          ServiceInstance stores = lb.choose("stores");
          assertThat(stores).isNotNull();
          assertThat(stores.getHost()).isEqualTo("10.9.9.9");
        });
  }

  @Test
  void loadBalancedRestTemplate_reachesTheMeshEndpoint() {
    serve("1", reviewsEndpoints());
    meshRunner().withUserConfiguration(LoadBalancedClient.class).run(context -> {
      RestTemplate template = context.getBean(RestTemplate.class);
      assertThat(template.getForObject("http://ratings/ratings/1", String.class)).isEqualTo("ratings");
      RecordedRequest received = ratings.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getTarget()).isEqualTo("/ratings/1");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class LoadBalancedClient {
    @Bean
    @LoadBalanced
    RestTemplate restTemplate() {
      return new RestTemplate();
    }
  }
}
