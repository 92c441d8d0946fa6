package dev.inboard.mesh.grpc;

import static dev.inboard.mesh.grpc.MeshHarness.HOST;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshChannelTest {
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String V2 = clusterName(9080, "v2", HOST);

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private Backend backend(String name, Backend.Behaviour behaviour) throws Exception {
    return track(new Backend(name, behaviour));
  }

  private MeshChannel channel(MeshHarness mesh, String target) {
    MeshChannel channel = MeshChannels.forTarget(mesh.mesh, target);
    resources.add(channel::shutdownNow);
    return channel;
  }

  /** v1 and v2 answering their names, each its own cluster, routed by {@code route}. */
  private MeshHarness twoVersions(Backend v1, Backend v2, io.envoyproxy.envoy.config.route.v3.Route.Builder route)
      throws Exception {
    return track(MeshHarness.start(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, v1.address()), endpoints(V2, v2.address())), Routes.of(route.build())));
  }

  private static String who(io.grpc.Channel channel) {
    return Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
  }

  @Test
  void weightedClusters_80_20_splitPerRpcWithinTolerance() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.weighted(V1, 80, V2, 20));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    Map<String, Integer> answers = new HashMap<>();
    int calls = 500;
    for (int i = 0; i < calls; i++) {
      answers.merge(who(channel), 1, Integer::sum);
    }

    // 20% of 500 is 100, with a standard deviation of ~9: +-30 is more than three of them.
    assertThat(answers.getOrDefault("v2", 0)).isBetween(70, 130);
    assertThat(answers.get("v1") + answers.getOrDefault("v2", 0)).isEqualTo(calls);
    assertThat(channel.endpoints().size()).isEqualTo(2);
  }

  @Test
  void headerMatchedRoute_sendsMatchingCallsToV2_othersToV1() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = track(MeshHarness.start(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, v1.address()), endpoints(V2, v2.address())),
        Routes.of(Routes.whenHeader("end-user", "jason", V2).build(), Routes.to(V1).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");
    Metadata jason = new Metadata();
    jason.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), "jason");

    assertThat(who(io.grpc.ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(jason)))).isEqualTo("v2");
    assertThat(who(channel)).isEqualTo("v1");
  }

  @Test
  void shortTargets_routeThroughTheSidecarListenerByDomain() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1));

    assertThat(who(channel(mesh, "reviews:9080"))).isEqualTo("v1");
    assertThat(who(channel(mesh, "reviews.default:9080"))).isEqualTo("v1");
  }

  @Test
  void unknownAuthority_failsUnavailableWithNoRouteFlag() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1));

    assertThatThrownBy(() -> who(channel(mesh, "ratings:9080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).startsWith("NR: ");
        });
    assertThat(v1.calls.get()).isZero();
  }

  @Test
  void retryOnUnavailable_backendFailingTwiceThenSucceeding_answers() throws Exception {
    Backend flaky = backend("v1", n -> n <= 2 ? Status.UNAVAILABLE.withDescription("warming up") : null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(flaky, v2, Routes.withRouteAction(Routes.to(V1),
        a -> a.setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("unavailable").setNumRetries(UInt32Value.of(2)))));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    assertThat(who(channel)).isEqualTo("v1");
    assertThat(flaky.calls.get()).isEqualTo(3);
  }

  @Test
  void attemptCount_virtualHostAsksForIt_eachAttemptCarriesItsNumber() throws Exception {
    Backend flaky = backend("v1", n -> n <= 2 ? Status.UNAVAILABLE.withDescription("warming up") : null);
    Backend v2 = backend("v2", n -> null);
    var routes = Routes.of(Routes.withRouteAction(Routes.to(V1), a -> a.setRetryPolicy(RetryPolicy.newBuilder()
        .setRetryOn("unavailable").setNumRetries(UInt32Value.of(2)))).build()).toBuilder();
    routes.setVirtualHosts(0, routes.getVirtualHosts(0).toBuilder().setIncludeRequestAttemptCount(true)); // as istiod
    MeshHarness mesh = track(MeshHarness.start(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, flaky.address()), endpoints(V2, v2.address())), routes.build()));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");
    Metadata stale = new Metadata();
    stale.put(Metadata.Key.of("x-envoy-attempt-count", Metadata.ASCII_STRING_MARSHALLER), "9");

    assertThat(who(io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(stale))))
        .isEqualTo("v1");
    Metadata.Key<String> attemptCount = Metadata.Key.of("x-envoy-attempt-count", Metadata.ASCII_STRING_MARSHALLER);
    List<List<String>> seen = new java.util.ArrayList<>();
    for (Metadata h : flaky.headers) {
      List<String> values = new java.util.ArrayList<>();
      h.getAll(attemptCount).forEach(values::add);
      seen.add(values);
    }
    assertThat(seen).containsExactly(List.of("1"), List.of("2"), List.of("3"));
  }

  @Test
  void retry_exhausted_returnsTheLastStatus() throws Exception {
    Backend down = backend("v1", n -> Status.UNAVAILABLE.withDescription("down"));
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(down, v2, Routes.withRouteAction(Routes.to(V1),
        a -> a.setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("unavailable").setNumRetries(UInt32Value.of(2)))));

    assertThatThrownBy(() -> who(channel(mesh, "mesh:///" + HOST + ":9080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).isEqualTo("down");
        });
    assertThat(down.calls.get()).isEqualTo(3);
  }

  @Test
  void retry_previousHosts_retriesOnTheOtherEndpoint() throws Exception {
    Backend down = backend("down", n -> Status.UNAVAILABLE.withDescription("down"));
    Backend up = backend("up", n -> null);
    Cluster random = edsCluster(V1).toBuilder().setLbPolicy(Cluster.LbPolicy.RANDOM).build();
    MeshHarness mesh = track(MeshHarness.start(List.of(random),
        List.of(endpoints(V1, down.address(), up.address())),
        Routes.of(Routes.withRouteAction(Routes.to(V1), a -> a.setRetryPolicy(RetryPolicy.newBuilder()
            .setRetryOn("unavailable")
            .setNumRetries(UInt32Value.of(1))
            .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                .setName("envoy.retry_host_predicates.previous_hosts")
                .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(5))).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    for (int i = 0; i < 40; i++) {
      assertThat(who(channel)).isEqualTo("up");
    }
    assertThat(down.calls.get()).isPositive(); // random picks reached it first, and the retry went elsewhere
  }

  @Test
  void routeTimeout_slowBackend_deadlineExceededBeforeTheCallersDeadline() throws Exception {
    Backend slow = backend("v1", n -> Backend.HOLD);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(slow, v2, Routes.withRouteAction(Routes.to(V1),
        a -> a.setTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    long start = System.nanoTime();
    assertThatThrownBy(() -> Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(slow.calls.get()).isEqualTo(1);
  }

  @Test
  void perTryTimeout_slowFirstAttempt_retriedAndAnswered() throws Exception {
    Backend slowOnce = backend("v1", n -> n == 1 ? Backend.HOLD : null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(slowOnce, v2, Routes.withRouteAction(Routes.to(V1),
        a -> a.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(20))
            .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(1))
                .setPerTryTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)))));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    long start = System.nanoTime();
    assertThat(Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS))).isEqualTo("v1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(slowOnce.calls.get()).isEqualTo(2);
  }

  @Test
  void routeTimeout_endsPerTryRetries_withDeadlineExceeded() throws Exception {
    Backend slow = backend("v1", n -> Backend.HOLD);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(slow, v2, Routes.withRouteAction(Routes.to(V1),
        a -> a.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
            .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(100))
                .setPerTryTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)))));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    long start = System.nanoTime();
    assertThatThrownBy(() -> Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // 200 ms tries (with back-offs between them) within one second: at most five of them, never a hundred.
    assertThat(slow.calls.get()).isBetween(2, 5);
  }

  @Test
  void faultAbort_failsWithTheInjectedGrpcStatus_withoutReachingTheBackend() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2,
        Routes.to(V1).putTypedPerFilterConfig("envoy.filters.http.fault", Routes.abort(8)));

    assertThatThrownBy(() -> who(channel(mesh, "mesh:///" + HOST + ":9080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).isEqualTo("FI: fault filter abort");
        });
    assertThat(v1.calls.get()).isZero();
    assertThat(mesh.mesh.engine().activeFaults()).isZero();
  }

  @Test
  void faultDelay_delaysTheCall_thenSendsIt() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1).putTypedPerFilterConfig("envoy.filters.http.fault",
        Routes.delay(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000).build())));

    long start = System.nanoTime();
    assertThat(who(channel(mesh, "mesh:///" + HOST + ":9080"))).isEqualTo("v1");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void circuitBreaker_maxRequestsReached_failsUnavailableWithUpstreamOverflow() throws Exception {
    Backend slow = backend("v1", n -> n == 1 ? Backend.HOLD : null);
    Backend v2 = backend("v2", n -> null);
    Cluster limited = edsCluster(V1).toBuilder().setCircuitBreakers(CircuitBreakers.newBuilder()
        .addThresholds(CircuitBreakers.Thresholds.newBuilder().setMaxRequests(UInt32Value.of(1)))).build();
    MeshHarness mesh = track(MeshHarness.start(List.of(limited, edsCluster(V2)),
        List.of(endpoints(V1, slow.address()), endpoints(V2, v2.address())), Routes.of(Routes.to(V1).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    var first = ClientCalls.futureUnaryCall(
        channel.newCall(Backend.WHO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), "who");
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.held.size() == 1);

    assertThatThrownBy(() -> who(channel)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).startsWith("UO: ").contains("max_requests");
    });
    slow.release();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(who(channel)).isEqualTo("v1"); // the permit came back
  }

  @Test
  void faultDelay_longerThanTheCallersDeadline_deadlineExceededWithoutReachingTheBackend() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1).putTypedPerFilterConfig("envoy.filters.http.fault",
        Routes.delay(com.google.protobuf.Duration.newBuilder().setSeconds(30).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    assertThatThrownBy(() -> Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
          assertThat(e.getStatus().getDescription()).startsWith("UT: ");
        });
    assertThat(v1.calls.get()).isZero();
  }

  @Test
  void headers_routeMutationsAppliedBothWays_routerHeadersNotSent() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1)
        .addRequestHeadersToAdd(io.envoyproxy.envoy.config.core.v3.HeaderValueOption.newBuilder().setHeader(
            io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder().setKey("x-route").setValue("reviews-v1")))
        .addResponseHeadersToAdd(io.envoyproxy.envoy.config.core.v3.HeaderValueOption.newBuilder().setHeader(
            io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder().setKey("x-served-by").setValue("mesh"))));
    Metadata extra = new Metadata();
    extra.put(Metadata.Key.of("x-envoy-upstream-rq-timeout-ms", Metadata.ASCII_STRING_MARSHALLER), "5000");
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    assertThat(who(io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(extra),
        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>())))).isEqualTo("v1");
    assertThat(responseHeaders.get().get(Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("mesh");
    Metadata seen = v1.headers.get(0);
    assertThat(seen.get(Metadata.Key.of("x-route", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("reviews-v1");
    assertThat(seen.containsKey(Metadata.Key.of("x-envoy-upstream-rq-timeout-ms", Metadata.ASCII_STRING_MARSHALLER)))
        .isFalse();
  }

  @Test
  void serverStreaming_routedPerCall_deliversEveryMessage() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = track(MeshHarness.start(List.of(edsCluster(V1), edsCluster(V2)),
        List.of(endpoints(V1, v1.address()), endpoints(V2, v2.address())),
        Routes.of(Routes.whenHeader("end-user", "jason", V2).build(), Routes.to(V1).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");
    Metadata jason = new Metadata();
    jason.put(Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER), "jason");

    List<String> answers = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(io.grpc.ClientInterceptors.intercept(channel,
            MetadataUtils.newAttachHeadersInterceptor(jason)), Backend.LIST,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "list").forEachRemaining(answers::add);

    assertThat(answers).containsExactly("v2#1", "v2#2", "v2#3");
  }

  @Test
  void retryCircuitBreaker_maxRetriesZero_lastStatusStandsWithoutRetry() throws Exception {
    Backend down = backend("v1", n -> Status.UNAVAILABLE.withDescription("down"));
    Backend v2 = backend("v2", n -> null);
    Cluster noRetries = edsCluster(V1).toBuilder().setCircuitBreakers(CircuitBreakers.newBuilder()
        .addThresholds(CircuitBreakers.Thresholds.newBuilder().setMaxRetries(UInt32Value.of(0)))).build();
    MeshHarness mesh = track(MeshHarness.start(List.of(noRetries, edsCluster(V2)),
        List.of(endpoints(V1, down.address()), endpoints(V2, v2.address())),
        Routes.of(Routes.withRouteAction(Routes.to(V1), a -> a.setRetryPolicy(RetryPolicy.newBuilder()
            .setRetryOn("unavailable").setNumRetries(UInt32Value.of(3)))).build())));

    assertThatThrownBy(() -> who(channel(mesh, "mesh:///" + HOST + ":9080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).isEqualTo("down"));
    assertThat(down.calls.get()).isEqualTo(1);
  }

  @Test
  void cancel_duringFaultDelay_closesCancelled_andNothingIsSentAfterTheDelay() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.to(V1).putTypedPerFilterConfig("envoy.filters.http.fault",
        Routes.delay(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");
    AtomicReference<Status> closed = new AtomicReference<>();

    io.grpc.ClientCall<String, String> call = channel.newCall(Backend.WHO, CallOptions.DEFAULT);
    call.start(new io.grpc.ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.set(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage("who");
    call.halfClose();
    call.cancel("caller gave up", null);

    await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() != null);
    assertThat(closed.get().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(closed.get().getDescription()).isEqualTo("caller gave up");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> v1.calls.get() == 0);
  }

  @Test
  void outlierDetection_unavailableCountsAs503_ejectsTheFailingEndpoint() throws Exception {
    Backend bad = backend("bad", n -> Status.UNAVAILABLE.withDescription("down"));
    Backend good = backend("good", n -> null);
    Cluster detected = edsCluster(V1).toBuilder()
        .setOutlierDetection(io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
            .setConsecutive5Xx(UInt32Value.of(3))
            .setMaxEjectionPercent(UInt32Value.of(50))
            .setBaseEjectionTime(com.google.protobuf.Duration.newBuilder().setSeconds(300)))
        .build();
    MeshHarness mesh = track(MeshHarness.start(List.of(detected),
        List.of(endpoints(V1, bad.address(), good.address())), Routes.of(Routes.to(V1).build())));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    for (int i = 0; i < 10; i++) {
      try {
        who(channel);
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getDescription()).isEqualTo("down");
      }
    }

    assertThat(bad.calls.get()).isEqualTo(3);
    for (int i = 0; i < 10; i++) {
      assertThat(who(channel)).isEqualTo("good");
    }
  }

  @Test
  void endpointLeavesTheConfiguration_itsChannelIsClosed_callsGoToTheNewEndpoint() throws Exception {
    Backend old = backend("old", n -> null);
    Backend replacement = backend("new", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(old, v2, Routes.to(V1));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");
    assertThat(who(channel)).isEqualTo("old");
    assertThat(channel.endpoints().size()).isEqualTo(1);

    mesh.updateEndpoints("2", List.of(endpoints(V1, replacement.address()), endpoints(V2, v2.address())));

    await().atMost(Duration.ofSeconds(5)).until(() -> channel.endpoints().size() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> who(channel).equals("new"));
  }

  @Test
  void endpointChannelFactory_makesTheConnectionOfEachEndpoint_once() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, Routes.weighted(V1, 50, V2, 50));
    List<String> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    MeshChannel channel = MeshChannels.forTarget(mesh.mesh, "reviews:9080", address -> {
      made.add(address.toString());
      return MeshChannels.plaintext(address);
    });
    resources.add(channel::shutdownNow);

    for (int i = 0; i < 20; i++) {
      who(channel);
    }

    assertThat(made).containsExactlyInAnyOrder(v1.address(), v2.address());
  }

  @Test
  void maxStreamDuration_slowBackend_deadlineExceeded() throws Exception {
    Backend slow = backend("v1", n -> Backend.HOLD);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(slow, v2, Routes.withRouteAction(Routes.to(V1), a -> a.setMaxStreamDuration(
        io.envoyproxy.envoy.config.route.v3.RouteAction.MaxStreamDuration.newBuilder()
            .setMaxStreamDuration(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)))));
    MeshChannel channel = channel(mesh, "mesh:///" + HOST + ":9080");

    long start = System.nanoTime();
    assertThatThrownBy(() -> Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void directResponse_403_isPermissionDeniedWithoutAnUpstream() throws Exception {
    Backend v1 = backend("v1", n -> null);
    Backend v2 = backend("v2", n -> null);
    MeshHarness mesh = twoVersions(v1, v2, io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
        .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPrefix("/"))
        .setDirectResponse(io.envoyproxy.envoy.config.route.v3.DirectResponseAction.newBuilder().setStatus(403)));

    assertThatThrownBy(() -> who(channel(mesh, "reviews:9080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).isEqualTo("direct response 403");
        });
    assertThat(v1.calls.get()).isZero();
  }
}
