package dev.inboard.mesh.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.inboard.mesh.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneChannelsTest {
  private static final String ISTIOD = "istiod.istio-system.svc";

  @TempDir Path dir;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void plaintext_loopbackServer_answers() {
    EchoServer server = track(EchoServer.plaintext());
    ManagedChannel channel = open(ControlPlaneServer.plaintext("127.0.0.1:" + server.port()));

    assertThat(EchoServer.call(channel, "hello")).isEqualTo("echo: hello");
    assertThat(server.seen()).singleElement().satisfies(seen -> assertThat(seen.authorization()).isEmpty());
  }

  @Test
  void fromBootstrap_sendsClusterIdHeaderLikeIstioAgent() {
    EchoServer server = track(EchoServer.plaintext());
    NodeInfo node = NodeIdentity.builder().namespace("default").podName("p").clusterId("cluster-east").build();
    XdsBootstrap bootstrap =
        new XdsBootstrap(
            ControlPlaneServer.plaintext("127.0.0.1:" + server.port()), node, Map.of(), Optional.empty(), "test");
    ManagedChannel channel = ControlPlaneChannels.create(bootstrap);
    resources.add(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(10, TimeUnit.SECONDS);
        });

    EchoServer.call(channel, "hello");

    assertThat(server.seen()).singleElement().satisfies(seen -> assertThat(seen.clusterId()).contains("cluster-east"));
  }

  @Test
  void plaintext_dnsTarget_answers() {
    EchoServer server = track(EchoServer.plaintext());
    ManagedChannel channel = open(ControlPlaneServer.plaintext("dns:///127.0.0.1:" + server.port()));

    assertThat(EchoServer.call(channel, "via dns")).isEqualTo("echo: via dns");
  }

  @Test
  void tls_customRootCaAndAuthority_verifiesServerAndSendsAuthority() {
    TestPki pki = TestPki.newRoot("Test Mesh Root");
    EchoServer server = track(EchoServer.tls(pki.issueServer(dir.resolve("istiod"), List.of(ISTIOD))));
    Path rootCa = pki.writeCaCertificate(dir.resolve("root-cert.pem"));
    ManagedChannel channel =
        open(tls("127.0.0.1:" + server.port(), Optional.of(rootCa), Optional.of(ISTIOD), Optional.empty()));

    assertThat(EchoServer.call(channel, "over tls")).isEqualTo("echo: over tls");
    assertThat(server.seen()).singleElement().satisfies(seen -> assertThat(seen.authority()).contains(ISTIOD));
  }

  @Test
  void tls_authorityNotInCertificate_fails() {
    TestPki pki = TestPki.newRoot("Test Mesh Root");
    EchoServer server = track(EchoServer.tls(pki.issueServer(dir.resolve("istiod"), List.of(ISTIOD))));
    Path rootCa = pki.writeCaCertificate(dir.resolve("root-cert.pem"));
    ManagedChannel channel =
        open(
            tls(
                "127.0.0.1:" + server.port(),
                Optional.of(rootCa),
                Optional.of("istiod.other-namespace.svc"),
                Optional.empty()));

    assertThatThrownBy(() -> EchoServer.call(channel, "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void tls_serverSignedByAnotherCa_fails() {
    TestPki serverPki = TestPki.newRoot("Real Mesh Root");
    TestPki otherPki = TestPki.newRoot("Other Root");
    EchoServer server = track(EchoServer.tls(serverPki.issueServer(dir.resolve("istiod"), List.of(ISTIOD))));
    Path wrongRoot = otherPki.writeCaCertificate(dir.resolve("other-root.pem"));
    ManagedChannel channel =
        open(tls("127.0.0.1:" + server.port(), Optional.of(wrongRoot), Optional.of(ISTIOD), Optional.empty()));

    assertThatThrownBy(() -> EchoServer.call(channel, "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void bearerToken_sentOnEachCall_rotatedFilePickedUpOnNextCall() throws Exception {
    TestPki pki = TestPki.newRoot("Test Mesh Root");
    EchoServer server = track(EchoServer.tls(pki.issueServer(dir.resolve("istiod"), List.of(ISTIOD))));
    Path rootCa = pki.writeCaCertificate(dir.resolve("root-cert.pem"));
    Path token = Files.writeString(dir.resolve("istio-token"), "first.jwt.token\n");
    ManagedChannel channel =
        open(tls("127.0.0.1:" + server.port(), Optional.of(rootCa), Optional.of(ISTIOD), Optional.of(token)));

    EchoServer.call(channel, "one");
    Files.writeString(token, "second.jwt.token");
    EchoServer.call(channel, "two");

    assertThat(server.seen())
        .extracting(EchoServer.Seen::authorization)
        .containsExactly(Optional.of("Bearer first.jwt.token"), Optional.of("Bearer second.jwt.token"));
  }

  @Test
  void bearerToken_fileMissing_callFailsNamingTheFile() {
    TestPki pki = TestPki.newRoot("Test Mesh Root");
    EchoServer server = track(EchoServer.tls(pki.issueServer(dir.resolve("istiod"), List.of(ISTIOD))));
    Path rootCa = pki.writeCaCertificate(dir.resolve("root-cert.pem"));
    Path token = dir.resolve("no-such-token");
    ManagedChannel channel =
        open(tls("127.0.0.1:" + server.port(), Optional.of(rootCa), Optional.of(ISTIOD), Optional.of(token)));

    assertThatThrownBy(() -> EchoServer.call(channel, "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("cannot read the bearer token file " + token + ": NoSuchFileException");
            });
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void unixDomainSocket_answers() {
    assumeThat(Epoll.isAvailable()).as("epoll native transport").isTrue();
    Path socket = dir.resolve("XDS");
    EchoServer server = track(EchoServer.unix(socket));
    ManagedChannel channel = open(ControlPlaneServer.plaintext("unix://" + socket));

    assertThat(EchoServer.call(channel, "over uds")).isEqualTo("echo: over uds");
    assertThat(server.seen()).hasSize(1);
  }

  @Test
  void unixDomainSocket_istioAgentFourSlashForm_answers() {
    assumeThat(Epoll.isAvailable()).as("epoll native transport").isTrue();
    Path socket = dir.resolve("XDS");
    EchoServer server = track(EchoServer.unix(socket));
    // istio-agent writes "unix:///" + the absolute socket path, i.e. four slashes.
    ManagedChannel channel = open(ControlPlaneServer.plaintext("unix:///" + socket));

    assertThat(EchoServer.call(channel, "istio style")).isEqualTo("echo: istio style");
  }

  @Test
  void rootCaFile_notPem_failsAtCreationNamingTheFile() throws Exception {
    Path rootCa = Files.writeString(dir.resolve("root-cert.pem"), "not a certificate");

    assertThatThrownBy(
            () ->
                ControlPlaneChannels.create(
                    tls("127.0.0.1:15012", Optional.of(rootCa), Optional.empty(), Optional.empty())))
        .isInstanceOf(BootstrapException.class)
        .hasMessage(
            "control plane 127.0.0.1:15012: cannot set up the channel: Unable to create SslContext: No certificate "
                + "data found; check that the root CA file " + rootCa + " holds PEM certificates");
  }

  @Test
  void server_tokenWithPlaintext_isRejected() {
    Path token = dir.resolve("istio-token");

    assertThatThrownBy(
            () -> new ControlPlaneServer("127.0.0.1:15010", ChannelSecurity.PLAINTEXT, Optional.of(token), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bearer token file " + token + " needs TLS: a token must not be sent in plaintext to 127.0.0.1:15010");
  }

  @Test
  void keepalive_suitsIstiodEnforcementPolicy() {
    // istiod rejects client pings more often than every 15 s (half its 30 s keepalive).
    assertThat(ControlPlaneChannels.KEEPALIVE_TIME).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
    assertThat(ControlPlaneChannels.KEEPALIVE_TIMEOUT).isLessThan(ControlPlaneChannels.KEEPALIVE_TIME);
  }

  private static ControlPlaneServer tls(
      String target, Optional<Path> rootCa, Optional<String> authority, Optional<Path> token) {
    return new ControlPlaneServer(target, new ChannelSecurity.Tls(rootCa, authority), token, Set.of("xds_v3"));
  }

  private ManagedChannel open(ControlPlaneServer server) {
    ManagedChannel channel = ControlPlaneChannels.create(server);
    resources.add(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(10, TimeUnit.SECONDS);
        });
    return channel;
  }

  private EchoServer track(EchoServer server) {
    resources.add(server);
    return server;
  }
}
