package dev.inboard.mesh.agent.interop;

import static dev.inboard.mesh.agent.interop.GrpcXdsInterop.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.server.YamlSource;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.xds.XdsServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * grpc-java's {@code XdsServerBuilder}, unchanged, as a proxyless server of the local control plane: it registers
 * itself as the Service's workload by connecting (node labels and {@code POD_PORTS}), takes its inbound listener
 * {@code xds.istio.io/grpc/lds/inbound/0.0.0.0:PORT} from the control plane, and enforces the AuthorizationPolicies
 * of Istio's grpcgen RBAC test (a DENY on {@code request.headers[echo] == block}, an ALLOW on {@code == allow};
 * plaintext here, without that test's mTLS), then only the DENY once the ALLOW is deleted. A grpc-java xDS client
 * in another namespace calls it by FQDN.
 */
class GrpcJavaXdsServerRbacTest {
  static final String SERVER = "sidecar~127.0.0.1~echo-rbac-1.test~test.svc.cluster.local";
  static final String CLIENT = "sidecar~127.0.0.1~client.clientns~clientns.svc.cluster.local";
  static final String ALLOW_POLICY = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: echo-rbac-allow, namespace: test}
      spec:
        action: ALLOW
        rules:
        - when:
          - key: request.headers[echo]
            values: ["allow"]
      """;
  static final String CONFIG = """
      apiVersion: v1
      kind: Service
      metadata: {name: echo-rbac, namespace: test}
      spec:
        selector: {app: echo-rbac}
        ports: [{name: grpc, port: 7070, targetPort: grpc}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: echo-rbac, namespace: test}
      spec:
        action: DENY
        rules:
        - when:
          - key: request.headers[echo]
            values: ["block"]
      ---
      """ + ALLOW_POLICY;

  @Test
  @Timeout(60)
  void xdsServer_denyAndAllowPolicies_areEnforcedByGrpcJava_andEveryResponseIsAcked() throws Exception {
    try (GrpcXdsInterop interop = new GrpcXdsInterop()) {
      interop.apply(new YamlSource("echo-rbac.yaml", CONFIG));
      int port = freeLoopbackPort();
      Server server = XdsServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port),
              InsecureServerCredentials.create())
          .overrideBootstrapForTest(interop.bootstrap(SERVER, Map.of(
              "NAMESPACE", "test",
              "WORKLOAD_NAME", "echo-rbac",
              "LABELS", Map.of("app", "echo-rbac"),
              "INSTANCE_IPS", "127.0.0.1",
              "POD_PORTS", "[{\"name\":\"grpc\",\"containerPort\":" + port + ",\"protocol\":\"TCP\"}]")))
          .addService(EchoService.named("echo-rbac"))
          .build()
          .start();
      try {
        ManagedChannel channel = interop.xdsChannel("xds:///echo-rbac.test.svc.cluster.local:7070",
            interop.bootstrap(CLIENT, Map.of("NAMESPACE", "clientns", "INSTANCE_IPS", "127.0.0.1")));

        assertThat(EchoService.call(channel, Map.of("echo", "allow"))).isEqualTo("echo-rbac");
        assertThat(refusal(channel, Map.of("echo", "block"))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refusal(channel, Map.of("echo", "other"))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refusal(channel, Map.of())).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcXdsInterop.spread(channel, 100, Map.of("echo", "allow"))).isEqualTo(Map.of("echo-rbac", 100));

        // Without the ALLOW policy only the DENY is left: calls without the blocked value now pass.
        assertThat(interop.cp.delete(List.of(new YamlSource("echo-rbac-allow.yaml", ALLOW_POLICY))).accepted())
            .isTrue();
        await().atMost(WAIT).ignoreException(StatusRuntimeException.class).untilAsserted(() ->
            assertThat(EchoService.call(channel, Map.of("echo", "other"))).isEqualTo("echo-rbac"));
        assertThat(EchoService.call(channel, Map.of())).isEqualTo("echo-rbac");
        assertThat(refusal(channel, Map.of("echo", "block"))).isEqualTo(Status.Code.PERMISSION_DENIED);

        assertThat(interop.status(SERVER).orElseThrow().registered()).isTrue();
        assertThat(interop.assertEverythingSentIsAcked(SERVER)).containsExactly("LDS");
        assertThat(interop.assertEverythingSentIsAcked(CLIENT)).containsExactlyInAnyOrder("CDS", "LDS", "EDS", "RDS");
      } finally {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Status.Code refusal(ManagedChannel channel, Map<String, String> headers) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> EchoService.call(channel, headers));
    assertThat(e).as("call with %s succeeded", headers).isNotNull();
    return e.getStatus().getCode();
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
