package dev.inboard.mesh.grpc;

import static dev.inboard.mesh.grpc.MeshHarness.HOST;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshMirrorTest {
  static final String V1 = clusterName(9080, "v1", HOST);
  static final String SHADOW = clusterName(9080, "v2", HOST);

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

  /** A route to v1 mirroring every request to the shadow cluster, served by {@code primary} and {@code mirror}. */
  private MeshChannel mirrored(Backend primary, Backend mirror, boolean disableSuffix) throws Exception {
    return mirrored(primary, mirror.address(), disableSuffix);
  }

  private MeshChannel mirrored(Backend primary, String mirror, boolean disableSuffix) throws Exception {
    MeshHarness mesh = track(MeshHarness.start(List.of(edsCluster(V1), edsCluster(SHADOW)),
        List.of(endpoints(V1, primary.address()), endpoints(SHADOW, mirror)),
        Routes.of(Routes.withRouteAction(Routes.to(V1), a -> a.addRequestMirrorPolicies(
            RequestMirrorPolicy.newBuilder().setCluster(SHADOW)
                .setDisableShadowHostSuffixAppend(disableSuffix))).build())));
    MeshChannel channel = MeshChannels.forTarget(mesh.mesh, "mesh:///" + HOST + ":9080");
    resources.add(channel::shutdownNow);
    return channel;
  }

  private static String who(io.grpc.Channel channel) {
    return Backend.who(channel, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
  }

  @Test
  void unaryCall_mirrorPolicy_mirrorReceivesCopyWithShadowAuthority() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = track(Backend.answering("shadow"));
    MeshChannel channel = mirrored(primary, mirror, false);

    assertThat(who(channel)).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.calls.get() == 1);
    assertThat(mirror.authorities).containsExactly(HOST + "-shadow:9080");
    assertThat(primary.authorities).containsExactly(HOST + ":9080");
    assertThat(primary.calls.get()).isEqualTo(1);
  }

  @Test
  void unaryCall_callerMetadata_copiedToTheShadow() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = track(Backend.answering("shadow"));
    MeshChannel channel = mirrored(primary, mirror, false);
    Metadata.Key<String> user = Metadata.Key.of("end-user", Metadata.ASCII_STRING_MARSHALLER);
    Metadata metadata = new Metadata();
    metadata.put(user, "jason");

    assertThat(who(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata))))
        .isEqualTo("v1");

    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.calls.get() == 1);
    assertThat(mirror.headers.get(0).get(user)).isEqualTo("jason");
  }

  @Test
  void unaryCall_suffixDisabled_mirrorKeepsAuthority() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = track(Backend.answering("shadow"));
    MeshChannel channel = mirrored(primary, mirror, true);

    assertThat(who(channel)).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.calls.get() == 1);
    assertThat(mirror.authorities).containsExactly(HOST + ":9080");
  }

  @Test
  void unaryCall_mirrorFails_callerResponseUnchanged() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = track(new Backend("shadow", n -> Status.UNAVAILABLE.withDescription("shadow down")));
    MeshChannel channel = mirrored(primary, mirror, false);

    assertThat(who(channel)).isEqualTo("v1");
    assertThat(who(channel)).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.calls.get() == 2);
    assertThat(primary.calls.get()).isEqualTo(2);
  }

  @Test
  void unaryCall_mirrorNeverAnswers_callerIsNotHeldBack() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = track(new Backend("shadow", n -> Backend.HOLD));
    MeshChannel channel = mirrored(primary, mirror, false);

    assertThat(who(channel)).isEqualTo("v1");

    await().atMost(Duration.ofSeconds(10)).until(() -> mirror.held.size() == 1);
    mirror.release();
  }

  @Test
  void unaryCall_mirrorUnreachable_callerResponseUnchanged() throws Exception {
    Backend primary = track(Backend.answering("v1"));
    Backend mirror = Backend.answering("shadow");
    String address = mirror.address();
    mirror.close(); // nothing listens on the mirror's port any more
    MeshChannel channel = mirrored(primary, address, false);

    assertThat(who(channel)).isEqualTo("v1");
    assertThat(primary.calls.get()).isEqualTo(1);
  }
}
