package dev.inboard.mesh.spring;

import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static dev.inboard.mesh.testing.XdsFixtures.weightedRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.decision.ResponseFlag;
import dev.inboard.mesh.okhttp.MeshException;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * A {@link WebClient} built from the context's builder reaches mesh services by name through the mesh's OkHttp
 * client: java-control-plane on loopback serves a sidecar listener, routes, clusters and endpoints pointing at
 * MockWebServers.
 */
class MeshWebClientTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);
  static final Duration WAIT = Duration.ofSeconds(5);

  final SimpleCache<String> cache = new SimpleCache<>(node -> "bookinfo");
  final MockWebServer v1 = new MockWebServer();
  final MockWebServer v2 = new MockWebServer();
  Server server;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshHttpClientAutoConfiguration.class,
          MeshWebClientAutoConfiguration.class, WebClientAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()));

  @BeforeEach
  void start() throws Exception {
    v1.setDispatcher(answering("v1"));
    v2.setDispatcher(answering("v2"));
    v1.start();
    v2.start();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
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

  /** Serves {@code routes} as the only virtual host of the service, named by every form a client may use. */
  private void serve(Route... routes) {
    serve(routes(routes));
  }

  private static RouteConfiguration routes(Route... routes) {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName(HOST + ":9080").addDomains(HOST)
        .addDomains(HOST + ":9080").addDomains("reviews").addDomains("reviews:9080");
    for (Route r : routes) {
      vh.addRoutes(r);
    }
    return RouteConfiguration.newBuilder().setName("9080").addVirtualHosts(vh).build();
  }

  private void serve(RouteConfiguration route) {
    serve(route, endpoints(V1, "127.0.0.1:" + v1.getPort()));
  }

  private void serve(RouteConfiguration route, ClusterLoadAssignment v1Endpoints) {
    RouteConfiguration withShortNames = route.toBuilder().setVirtualHosts(0, route.getVirtualHosts(0).toBuilder()
        .clearDomains().addDomains(HOST).addDomains(HOST + ":9080").addDomains("reviews")
        .addDomains("reviews:9080")).build();
    cache.setSnapshot("bookinfo", Snapshot.create(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(v1Endpoints, endpoints(V2, "127.0.0.1:" + v2.getPort())),
        List.of(sidecarListener(9080, "9080")), List.of(withShortNames), List.of(), "1"));
  }

  private static Route.Builder to(String cluster) {
    return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  private static Route.Builder withFault(Route.Builder route, HTTPFault fault) {
    return route.putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault));
  }

  private ApplicationContextRunner meshRunner() {
    String controlPlane = "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return runner.withPropertyValues("mesh.control-plane=" + controlPlane, "mesh.wait-for-config=10s");
  }

  private static String get(WebClient client, String uri) {
    return client.get().uri(uri).retrieve().bodyToMono(String.class).block(WAIT);
  }

  @Test
  void headerRoute_jasonToV2_othersToV1() {
    serve(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
            .setName("end-user").setStringMatch(StringMatcher.newBuilder().setExact("jason"))))
            .setRoute(RouteAction.newBuilder().setCluster(V2)).build(),
        to(V1).build());
    meshRunner().run(context -> {
      assertThat(context).hasNotFailed();
      WebClient client = context.getBean(WebClient.Builder.class).build();

      assertThat(client.get().uri("http://reviews:9080/reviews/0").header("end-user", "jason").retrieve()
          .bodyToMono(String.class).block(WAIT)).isEqualTo("v2");
      assertThat(get(client, "http://reviews:9080/reviews/0")).isEqualTo("v1");
      RecordedRequest received = v2.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getTarget()).isEqualTo("/reviews/0");
      assertThat(received.getHeaders().get("Host")).isEqualTo("reviews:9080");
    });
  }

  @Test
  void weightedRoute_80to20_splitsWithinTolerance() {
    serve(weightedRoute("9080", HOST, V1, 80, V2, 20));
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      int requests = 200;
      int toV1 = 0;
      for (int i = 0; i < requests; i++) {
        if ("v1".equals(get(client, "http://reviews:9080/x"))) {
          toV1++;
        }
      }
      // Binomial(200, 0.8) has a standard deviation of 5.7; 160 +/- 35 is 6 sigma.
      assertThat(toV1).isBetween(125, 195);
      assertThat(v1.getRequestCount() + v2.getRequestCount()).isEqualTo(requests);
    });
  }

  @Test
  void retryOn5xx_backendFailingOnce_answeredByTheRetry() {
    AtomicInteger calls = new AtomicInteger();
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return calls.incrementAndGet() == 1 ? new MockResponse.Builder().code(503).body("busy").build()
            : new MockResponse.Builder().code(200).body("v1 " + request.getBody().utf8()).build();
      }
    });
    serve(to(V1).setRoute(RouteAction.newBuilder().setCluster(V1).setRetryPolicy(RetryPolicy.newBuilder()
        .setRetryOn("5xx").setNumRetries(UInt32Value.of(2))
        .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
            .setBaseInterval(com.google.protobuf.Duration.newBuilder().setNanos(1_000_000))))).build());
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      String body = client.post().uri("http://reviews:9080/reviews").header("Content-Type", "text/plain")
          .bodyValue("five stars").retrieve().bodyToMono(String.class).block(WAIT);
      // The retry sends the same body again.
      assertThat(body).isEqualTo("v1 five stars");
      assertThat(v1.getRequestCount()).isEqualTo(2);
    });
  }

  @Test
  void faultAbort_surfacesAsTheStatusASidecarAnswers() {
    serve(withFault(to(V1), HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(503)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build()).build());
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      assertThatThrownBy(() -> get(client, "http://reviews:9080/reviews/1"))
          .isInstanceOfSatisfying(WebClientResponseException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.getResponseBodyAsString()).isEqualTo("fault filter abort");
          });
      assertThat(v1.getRequestCount()).isZero();
    });
  }

  @Test
  void noHealthyUpstream_surfacesAsARequestErrorCarryingTheMeshFailure() {
    // EDS gives v1 no endpoints at all.
    serve(routes(to(V1).build()), endpoints(V1));
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      assertThatThrownBy(() -> get(client, "http://reviews:9080/reviews/1"))
          .isInstanceOf(WebClientRequestException.class)
          .cause().isInstanceOfSatisfying(MeshException.class, e -> {
            assertThat(e.failure().flag()).isEqualTo(ResponseFlag.UH);
            assertThat(e.failure().httpStatus()).isEqualTo(503);
          });
      assertThat(v1.getRequestCount() + v2.getRequestCount()).isZero();
    });
  }

  @Test
  void canceledDuringAFaultDelay_cancelsTheCall_backendNeverReached() {
    serve(withFault(to(V1), HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(com.google.protobuf.Duration.newBuilder().setSeconds(5))
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build()).build());
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      OkHttpClient okHttp = context.getBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class);
      long start = System.nanoTime();
      Mono<String> call = client.get().uri("http://reviews:9080/slow").retrieve().bodyToMono(String.class)
          .timeout(Duration.ofMillis(300));
      assertThatThrownBy(() -> call.block(WAIT)).hasCauseInstanceOf(TimeoutException.class);
      // The Mono's cancellation canceled the OkHttp call, which ends the mesh's wait well before the delay.
      await().atMost(Duration.ofSeconds(2)).until(() -> okHttp.dispatcher().runningCallsCount() == 0);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(v1.getRequestCount()).isZero();
    });
  }

  @Test
  void largeResponse_streamedAsDataBuffers() {
    byte[] big = new byte[256 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body(new okio.Buffer().write(big)).build();
      }
    });
    serve(to(V1).build());
    meshRunner().run(context -> {
      WebClient client = context.getBean(WebClient.Builder.class).build();
      List<Integer> sizes = client.get().uri("http://reviews:9080/big").retrieve().bodyToFlux(DataBuffer.class)
          .map(b -> {
            int n = b.readableByteCount();
            DataBufferUtils.release(b);
            return n;
          }).collectList().block(WAIT);
      assertThat(sizes).hasSizeGreaterThan(1);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(big.length);
      // Read to its end: the mesh's request and the host's active request are given back.
      await().atMost(WAIT).until(() -> context.getBean(dev.inboard.mesh.Mesh.class).engine().cluster(V1)
          .orElseThrow().hosts().get(0).activeRequests() == 0);
    });
  }
}
