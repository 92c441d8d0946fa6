package dev.inboard.mesh.okhttp;

import static dev.inboard.mesh.okhttp.MeshFixture.AUTHORITY;
import static dev.inboard.mesh.okhttp.MeshFixture.URL;
import static dev.inboard.mesh.okhttp.MeshFixture.V1;
import static dev.inboard.mesh.okhttp.MeshFixture.routeTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.inboard.mesh.decision.ResponseFlag;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.io.IOException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the route changes on the way: paths, authorities, headers, local answers. */
class MeshOkHttpRewritesTest extends MeshBackendsTestBase {
  @BeforeEach
  void v1AddsAHeader() {
    v1.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("v1").addHeader("x-upstream-secret", "s").build();
      }
    });
  }

  @Override
  Response get(String path) throws IOException {
    return fixture.client.newCall(new Request.Builder().url(URL + path).header("x-remove-me", "1").build())
        .execute();
  }

  private static HeaderValueOption header(String key, String value) {
    return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(key).setValue(value)).build();
  }

  @Test
  void prefixAndHostRewrite_upstreamSeesRewrittenPathAndAuthority() throws Exception {
    start(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/api/"))
        .setRoute(RouteAction.newBuilder().setCluster(V1).setPrefixRewrite("/v2/")
            .setHostRewriteLiteral("reviews-internal")).build());
    try (Response r = get("/api/reviews?id=3")) {
      assertThat(r.body().string()).isEqualTo("v1");
    }
    RecordedRequest received = v1.takeRequest();
    assertThat(received.getTarget()).isEqualTo("/v2/reviews?id=3");
    assertThat(received.getHeaders().get("Host")).isEqualTo("reviews-internal");
  }

  @Test
  void noRewrite_encodedPathAndQueryReachTheEndpointByteForByte() throws Exception {
    start(routeTo(V1).build());
    for (int i = 0; i < 2; i++) { // the second request reuses the endpoint's cached scheme://host:port
      try (Response r = get("/reviews/a%20b/%E2%82%AC;v=1?q=x%26y&empty=&flag#frag")) {
        assertThat(r.body().string()).isEqualTo("v1");
      }
      RecordedRequest received = v1.takeRequest();
      assertThat(received.getTarget()).isEqualTo("/reviews/a%20b/%E2%82%AC;v=1?q=x%26y&empty=&flag");
      assertThat(received.getHeaders().get("Host")).isEqualTo(AUTHORITY);
    }
  }

  @Test
  void headerMutations_appliedToRequestAndResponse() throws Exception {
    start(routeTo(V1).addRequestHeadersToAdd(header("x-route", "reviews")).addRequestHeadersToRemove("x-remove-me")
        .addResponseHeadersToAdd(header("x-served-by", "mesh")).addResponseHeadersToRemove("x-upstream-secret")
        .build());
    try (Response r = get("/")) {
      assertThat(r.header("x-served-by")).isEqualTo("mesh");
      assertThat(r.header("x-upstream-secret")).isNull();
    }
    RecordedRequest received = v1.takeRequest();
    assertThat(received.getHeaders().get("x-route")).isEqualTo("reviews");
    assertThat(received.getHeaders().get("x-remove-me")).isNull();
    assertThat(received.getHeaders().get("Host")).isEqualTo(AUTHORITY);
  }

  @Test
  void redirectRoute_answersWithLocation() throws Exception {
    start(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRedirect(RedirectAction.newBuilder().setHostRedirect("ratings.default.svc.cluster.local")
            .setResponseCode(RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT)).build());
    OkHttpClient noFollow = fixture.client.newBuilder().followRedirects(false).build();
    try (Response r = noFollow.newCall(new Request.Builder().url(URL + "/reviews/1").build()).execute()) {
      assertThat(r.code()).isEqualTo(307);
      assertThat(r.header("location")).startsWith("http://ratings.default.svc.cluster.local");
      assertThat(r.header("location")).endsWith("/reviews/1");
    }
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void directResponseRoute_answersWithStatusAndBody() throws Exception {
    start(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setDirectResponse(DirectResponseAction.newBuilder().setStatus(403)
            .setBody(DataSource.newBuilder().setInlineString("denied by route"))).build());
    try (Response r = get("/")) {
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.body().string()).isEqualTo("denied by route");
    }
    assertThat(v1.getRequestCount()).isZero();
  }

  @Test
  void grpcAbort_answers200WithGrpcStatus() throws Exception {
    HTTPFault fault = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setGrpcStatus(14)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100))).build();
    start(routeTo(V1).putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault)).build());
    try (Response r = fixture.client.newCall(new Request.Builder().url(URL + "/svc/Method")
        .header("content-type", "application/grpc").build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("grpc-status")).isEqualTo("14");
      assertThat(MeshOkHttp.failure(r)).hasValueSatisfying(f -> assertThat(f.flag()).isEqualTo(ResponseFlag.FI));
    }
    assertThat(v1.getRequestCount()).isZero();
  }
}
