package dev.inboard.mesh.okhttp;

import static dev.inboard.mesh.okhttp.MeshFixture.AUTHORITY;
import static dev.inboard.mesh.okhttp.MeshFixture.MIRROR;
import static dev.inboard.mesh.okhttp.MeshFixture.URL;
import static dev.inboard.mesh.okhttp.MeshFixture.V1;
import static dev.inboard.mesh.okhttp.MeshFixture.V2;
import static dev.inboard.mesh.okhttp.MeshFixture.clusters;
import static dev.inboard.mesh.okhttp.MeshFixture.routeTo;
import static dev.inboard.mesh.okhttp.MeshFixture.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import dev.inboard.mesh.decision.ResponseFlag;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Which backend gets a request, and what the mesh answers itself (faults, mirrors, unknown hosts). */
class MeshOkHttpRoutingTest extends MeshBackendsTestBase {
  @Test
  void weightedRoute_80_20_splitsRequestsWithinTolerance() throws Exception {
    start(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(V1).setWeight(UInt32Value.of(80)))
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(V2).setWeight(UInt32Value.of(20)))))
        .build());
    int n = 200;
    int toV1 = 0;
    for (int i = 0; i < n; i++) {
      try (Response r = get("/reviews/" + i)) {
        if (r.body().string().equals("v1")) {
          toV1++;
        }
      }
    }
    // Binomial(200, 0.8): standard deviation 5.7 requests; +-28 is five of them.
    assertThat(toV1).isBetween(132, 188);
    assertThat(v1.getRequestCount() + v2.getRequestCount()).isEqualTo(n);
    RecordedRequest first = v1.takeRequest();
    assertThat(first.getHeaders().get("Host")).isEqualTo(AUTHORITY);
  }

  @Test
  void headerMatch_sendsMatchingRequestsToTheirCluster() throws Exception {
    start(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
            .setName("end-user").setStringMatch(StringMatcher.newBuilder().setExact("jason"))))
            .setRoute(RouteAction.newBuilder().setCluster(V2)).build(),
        routeTo(V1).build());
    try (Response jason = fixture.client.newCall(new Request.Builder().url(URL + "/reviews/1")
        .header("End-User", "jason").build()).execute();
        Response other = get("/reviews/1")) {
      assertThat(jason.body().string()).isEqualTo("v2");
      assertThat(other.body().string()).isEqualTo("v1");
    }
  }

  @Test
  void retriesExhausted_lastUpstreamResponseReturned() throws Exception {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(503).body("busy").build();
      }
    });
    start(routeTo(V1).setRoute(RouteAction.newBuilder().setCluster(V1).setRetryPolicy(RetryPolicy.newBuilder()
        .setRetryOn("5xx").setNumRetries(UInt32Value.of(1)))).build());
    try (Response r = get("/")) {
      assertThat(r.code()).isEqualTo(503);
      assertThat(r.body().string()).isEqualTo("busy");
    }
    assertThat(v1.getRequestCount()).isEqualTo(2);
  }

  @Test
  void hostHeaderSetByTheApplication_routesByIt() throws Exception {
    start(routeTo(V1).build());
    // Addressed to an IP on the service port, named by its Host header, as a client behind a VIP would send it.
    try (Response r = fixture.client.newCall(new Request.Builder().url("http://127.0.0.1:" + MeshFixture.PORT + "/h")
        .header("Host", AUTHORITY).build()).execute()) {
      assertThat(r.body().string()).isEqualTo("v1");
    }
    assertThat(v1.takeRequest().getHeaders().get("Host")).isEqualTo(AUTHORITY);
  }

  @Test
  void faultDelay_waitsBeforeSending() throws Exception {
    HTTPFault fault = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    start(routeTo(V1).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
    long start = System.nanoTime();
    try (Response r = get("/")) {
      assertThat(r.body().string()).isEqualTo("v1");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void faultDelay_longerThanTheRouteTimeout_doesNotCountAgainstIt() throws Exception {
    HTTPFault fault = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000))
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    start(routeTo(V1).setRoute(RouteAction.newBuilder().setCluster(V1)
            .setTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)))
        .putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
    try (Response r = get("/")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEqualTo("v1");
    }
  }

  @Test
  void faultAbort_answersLocallyWithTheStatus() throws Exception {
    HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(418)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    start(routeTo(V1).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
    try (Response r = get("/")) {
      assertThat(r.code()).isEqualTo(418);
      assertThat(r.body().string()).isEqualTo("fault filter abort");
      assertThat(MeshOkHttp.failure(r)).hasValueSatisfying(f -> assertThat(f.flag()).isEqualTo(ResponseFlag.FI));
    }
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void mirror_shadowCopyWithShadowHost_responseUnaffected() throws Exception {
    mirror.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(500).body("mirror broke").build();
      }
    });
    start(routeTo(V1).setRoute(RouteAction.newBuilder().setCluster(V1)
        .addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder().setCluster(MIRROR))).build());
    try (Response r = get("/reviews/2")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEqualTo("v1");
    }
    RecordedRequest shadow = mirror.takeRequest(5, TimeUnit.SECONDS);
    assertThat(shadow).isNotNull();
    assertThat(shadow.getHeaders().get("Host")).isEqualTo("reviews.default.svc.cluster.local-shadow:9080");
    assertThat(shadow.getTarget()).isEqualTo("/reviews/2");
    assertThat(v1.takeRequest().getHeaders().get("Host")).isEqualTo(AUTHORITY);
  }

  @Test
  void unknownHost_allowAny_passesThroughUntouched() throws Exception {
    start(routeTo(V1).build());
    MockWebServer outside = v2;
    try (Response r = fixture.client.newCall(new Request.Builder().url(outside.url("/direct")).build()).execute()) {
      assertThat(r.body().string()).isEqualTo("v2");
    }
    RecordedRequest received = outside.takeRequest();
    assertThat(received.getTarget()).isEqualTo("/direct");
    assertThat(received.getHeaders().get("Host")).isEqualTo(outside.getHostName() + ":" + outside.getPort());
  }

  @Test
  void passthroughRoute_sendsTheRequestUnchanged() throws Exception {
    // Istio's allow_any virtual host on a port the mesh listens on: everything else goes to PassthroughCluster.
    RouteConfiguration passthrough = RouteConfiguration.newBuilder().setName(String.valueOf(v2.getPort()))
        .addVirtualHosts(VirtualHost.newBuilder().setName("allow_any").addDomains("*")
            .addRoutes(routeTo("PassthroughCluster"))).build();
    fixture = MeshFixture.start(OutboundPolicy.ALLOW_ANY, List.of(routes(routeTo(V1).build()), passthrough),
        clusters(), v1, v2, mirror);
    try (Response r = fixture.client.newCall(new Request.Builder().url(v2.url("/direct")).build()).execute()) {
      assertThat(r.body().string()).isEqualTo("v2");
    }
    assertThat(v2.takeRequest().getTarget()).isEqualTo("/direct");
  }

  @Test
  void unknownHost_registryOnly_refusedWithAReason() throws Exception {
    start(OutboundPolicy.REGISTRY_ONLY, clusters(), routeTo(V1).build());
    assertThatThrownBy(() -> fixture.client.newCall(new Request.Builder().url(v2.url("/direct")).build()).execute())
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("is not in the mesh registry and the outbound traffic policy is REGISTRY_ONLY");
    assertThat(v2.getRequestCount()).isZero();
  }

  @Test
  void knownPort_unknownVirtualHost_failsWithNoRoute() throws Exception {
    start(routeTo(V1).build());
    assertThatThrownBy(() -> fixture.client.newCall(new Request.Builder().url("http://ratings:9080/").build())
        .execute())
        .isInstanceOfSatisfying(MeshException.class,
            e -> assertThat(e.failure().flag()).isEqualTo(ResponseFlag.NR));
  }

  @Test
  void localReplyMode_unknownVirtualHost_answers404WithTheFailure() throws Exception {
    start(routeTo(V1).build());
    okhttp3.OkHttpClient sidecarLike = MeshOkHttp.enable(new okhttp3.OkHttpClient.Builder(), fixture.mesh,
        FailureMode.LOCAL_REPLY).build();
    try (Response r = sidecarLike.newCall(new Request.Builder().url("http://ratings:9080/").build()).execute()) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.body().string()).contains("ratings:9080");
      assertThat(MeshOkHttp.failure(r)).hasValueSatisfying(f -> assertThat(f.flag()).isEqualTo(ResponseFlag.NR));
    } finally {
      sidecarLike.dispatcher().executorService().shutdownNow();
      sidecarLike.connectionPool().evictAll();
    }
  }
}
