package dev.inboard.mesh.agent.interop;

import static dev.inboard.mesh.agent.interop.GrpcXdsInterop.WAIT;
import static dev.inboard.mesh.agent.interop.GrpcXdsInterop.spread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.mesh.agent.server.YamlSource;
import io.grpc.ManagedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own xDS client, unchanged, against the local control plane serving Istio YAML: Istio's
 * TestTrafficShifting config (a Kubernetes Service with a named target port, a DestinationRule with subsets v1 and
 * v2, a weighted VirtualService) routes between two real gRPC servers registered as WorkloadEntries.
 *
 * <p>grpc-java picks a weighted cluster per call at random, so the count a backend gets out of {@code N} calls is
 * binomial: for N = 1000 and weight 20 % the standard deviation is sqrt(1000 * 0.2 * 0.8) = 12.6 calls, and the
 * tolerance of 50 calls (5 points) is about 4 standard deviations — a correct split falls outside it less than once
 * in 10,000 runs.
 */
class GrpcJavaTrafficShiftingTest {
  static final int CALLS = 1000;
  static final int TOLERANCE = 50;
  static final String CLIENT = "sidecar~127.0.0.1~client.default~default.svc.cluster.local";
  static final Map<String, String> CLIENT_METADATA = Map.of("NAMESPACE", "default", "INSTANCE_IPS", "127.0.0.1",
      "CLUSTER_ID", "Kubernetes");
  static final YamlSource TRAFFIC_SHIFTING = GrpcXdsInterop.resource("/istio/grpcgen/TestTrafficShifting.yaml");

  @Test
  void istioTrafficShifting_grpcJavaClientByFqdn_splitsTwentyEighty_andAcksEverything() throws Exception {
    try (EchoBackend v1 = EchoBackend.start("v1"); EchoBackend v2 = EchoBackend.start("v2");
        GrpcXdsInterop interop = new GrpcXdsInterop()) {
      interop.apply(TRAFFIC_SHIFTING, workloads(v1, v2));
      ManagedChannel channel = interop.xdsChannel("xds:///echo-app.default.svc.cluster.local:7070",
          interop.bootstrap(CLIENT, CLIENT_METADATA));

      Map<String, Integer> spread = spread(channel, CALLS, Map.of());

      assertThat(spread).containsOnlyKeys("v1", "v2");
      assertThat(spread.get("v1")).isBetween(200 - TOLERANCE, 200 + TOLERANCE);
      assertThat(spread.get("v2")).isEqualTo(CALLS - spread.get("v1"));
      assertThat(interop.assertEverythingSentIsAcked(CLIENT)).containsExactlyInAnyOrder("CDS", "LDS", "EDS", "RDS");
    }
  }

  @Test
  void shortName_updatedVirtualService_headerRouteGoesToV2Only_andTheRestSplitsEightyTwenty() throws Exception {
    try (EchoBackend v1 = EchoBackend.start("v1"); EchoBackend v2 = EchoBackend.start("v2");
        GrpcXdsInterop interop = new GrpcXdsInterop()) {
      interop.apply(TRAFFIC_SHIFTING, workloads(v1, v2));
      ManagedChannel channel = interop.xdsChannel("xds:///echo-app:7070", interop.bootstrap(CLIENT, CLIENT_METADATA));
      assertThat(EchoService.call(channel, Map.of())).isIn("v1", "v2");

      interop.apply(new YamlSource("echo-vs-canary.yaml", """
          apiVersion: networking.istio.io/v1
          kind: VirtualService
          metadata: {name: echo-vs, namespace: default}
          spec:
            hosts: [echo-app]
            http:
            - name: canary
              match:
              - headers:
                  x-canary: {exact: "true"}
              route:
              - destination: {host: echo-app, subset: v2}
            - name: split
              route:
              - destination: {host: echo-app, subset: v1}
                weight: 80
              - destination: {host: echo-app, subset: v2}
                weight: 20
          """));
      // Under the old 20/80 route, 100 calls all reaching v2 has odds 0.8^100 (2e-10): seeing it means the new route
      // table is in use.
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(spread(channel, 100, Map.of("x-canary", "true"))).containsOnlyKeys("v2"));

      Map<String, Integer> canary = spread(channel, CALLS, Map.of("x-canary", "true"));
      Map<String, Integer> rest = spread(channel, CALLS, Map.of("x-canary", "false"));

      assertThat(canary).isEqualTo(Map.of("v2", CALLS));
      assertThat(rest).containsOnlyKeys("v1", "v2");
      assertThat(rest.get("v1")).isBetween(800 - TOLERANCE, 800 + TOLERANCE);
      assertThat(interop.assertEverythingSentIsAcked(CLIENT)).containsExactlyInAnyOrder("CDS", "LDS", "EDS", "RDS");
    }
  }

  /**
   * The two servers as WorkloadEntries selected by the Service ({@code app: echo}), each naming the port the
   * Service's {@code targetPort: grpc} resolves to for it.
   */
  static YamlSource workloads(EchoBackend v1, EchoBackend v2) {
    return new YamlSource("echo-workloads.yaml", workloadEntry(v1) + "---\n" + workloadEntry(v2));
  }

  private static String workloadEntry(EchoBackend backend) {
    return """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-%1$s, namespace: default}
        spec:
          address: 127.0.0.1
          labels: {app: echo, version: %1$s}
          ports: {grpc: %2$d}
        """.formatted(backend.name, backend.port());
  }
}
