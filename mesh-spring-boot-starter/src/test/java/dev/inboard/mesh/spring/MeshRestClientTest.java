package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static dev.inboard.mesh.testing.XdsFixtures.weightedRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A {@link RestClient} built from the context's builder reaches mesh services by name: java-control-plane on
 * loopback serves a sidecar listener, routes, clusters and endpoints pointing at MockWebServers.
 */
class MeshRestClientTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  final MockWebServer v1 = new MockWebServer();
  final MockWebServer v2 = new MockWebServer();
  Server server;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshHttpClientAutoConfiguration.class,
          HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
          RestClientAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()));

  @BeforeEach
  void start() throws Exception {
    v1.setDispatcher(answering("v1"));
    v2.setDispatcher(answering("v2"));
    v1.start();
    v2.start();
    V3DiscoveryServer discovery = new V3DiscoveryServer(cache);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
    v1.close();
    v2.close();
  }

  private static Dispatcher answering(String body) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body(body).build();
      }
    };
  }

  private void serve(RouteConfiguration route) {
    // Istio names a service's virtual host by every form a client may use: short name, with port, full name.
    RouteConfiguration withShortNames = route.toBuilder().setVirtualHosts(0, route.getVirtualHosts(0).toBuilder()
        .addDomains("reviews").addDomains("reviews:9080").addDomains(HOST + ":9080")).build();
    cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, "127.0.0.1:" + v1.getPort()), endpoints(V2, "127.0.0.1:" + v2.getPort())),
        List.of(sidecarListener(9080, "9080")), List.of(withShortNames), List.of(), "1"));
  }

  private String controlPlane() {
    return "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  @Test
  void restClientFromTheContextBuilder_reachesTheBackendByServiceName() {
    serve(routeTo("9080", HOST, V1));
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s").run(context -> {
      assertThat(context).hasNotFailed();
      RestClient client = context.getBean(RestClient.Builder.class).build();

      String body = client.get().uri("http://reviews:9080/x?id=1").header("x-request-id", "r-1")
          .retrieve().body(String.class);

      assertThat(body).isEqualTo("v1");
      RecordedRequest received = v1.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getTarget()).isEqualTo("/x?id=1");
      assertThat(received.getHeaders().get("Host")).isEqualTo("reviews:9080");
      assertThat(received.getHeaders().get("x-request-id")).isEqualTo("r-1");
      assertThat(v2.getRequestCount()).isZero();
    });
  }

  @Test
  void restClientPost_sendsTheBodyThroughTheMesh() {
    serve(routeTo("9080", HOST, V1));
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s").run(context -> {
      RestClient client = context.getBean(RestClient.Builder.class).build();

      String body = client.post().uri("http://reviews:9080/reviews").header("Content-Type", "text/plain")
          .body("five stars").retrieve().body(String.class);

      assertThat(body).isEqualTo("v1");
      RecordedRequest received = v1.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getMethod()).isEqualTo("POST");
      assertThat(received.getBody().utf8()).isEqualTo("five stars");
      assertThat(received.getHeaders().get("Content-Type")).startsWith("text/plain");
    });
  }

  @Test
  void weightedRoute_80to20_splitsWithinTolerance() {
    serve(weightedRoute("9080", HOST, V1, 80, V2, 20));
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s").run(context -> {
      RestClient client = context.getBean(RestClient.Builder.class).build();
      int requests = 400;
      int toV1 = 0;
      for (int i = 0; i < requests; i++) {
        if ("v1".equals(client.get().uri("http://reviews:9080/x").retrieve().body(String.class))) {
          toV1++;
        }
      }
      // Binomial(400, 0.8) has a standard deviation of 8; 320 +/- 40 is 5 sigma.
      assertThat(toV1).isBetween(280, 360);
      assertThat(v1.getRequestCount() + v2.getRequestCount()).isEqualTo(requests);
    });
  }

  private void slowV1() {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("late").headersDelay(5, TimeUnit.SECONDS).build();
      }
    });
  }

  @Test
  void restTemplateBuilderReadTimeout_endsASlowMeshCall() {
    slowV1();
    serve(routeTo("9080", HOST, V1));
    runner.withConfiguration(AutoConfigurations.of(RestTemplateAutoConfiguration.class))
        .withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s").run(context -> {
          assertThat(context).hasNotFailed();
          RestTemplate template =
              context.getBean(RestTemplateBuilder.class).readTimeout(Duration.ofMillis(300)).build();
          long start = System.nanoTime();
          assertThatThrownBy(() -> template.getForObject("http://reviews:9080/x", String.class))
              .isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(SocketTimeoutException.class);
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
          assertThat(v1.getRequestCount()).isEqualTo(1);
        });
  }

  @Test
  void clientsReadTimeoutProperty_endsASlowMeshCallFromRestClient() {
    slowV1();
    serve(routeTo("9080", HOST, V1));
    runner.withPropertyValues("mesh.control-plane=" + controlPlane(), "mesh.wait-for-config=10s",
        "spring.http.clients.read-timeout=300ms").run(context -> {
          RestClient client = context.getBean(RestClient.Builder.class).build();
          long start = System.nanoTime();
          assertThatThrownBy(() -> client.get().uri("http://reviews:9080/x").retrieve().body(String.class))
              .isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(SocketTimeoutException.class);
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
          assertThat(v1.getRequestCount()).isEqualTo(1);
        });
  }
}
