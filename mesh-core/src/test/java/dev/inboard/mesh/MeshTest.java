package dev.inboard.mesh;

import static dev.inboard.mesh.testing.XdsFixtures.CDS;
import static dev.inboard.mesh.testing.XdsFixtures.EDS;
import static dev.inboard.mesh.testing.XdsFixtures.LDS;
import static dev.inboard.mesh.testing.XdsFixtures.RDS;
import static dev.inboard.mesh.testing.XdsFixtures.clusterName;
import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static dev.inboard.mesh.testing.XdsFixtures.routeTo;
import static dev.inboard.mesh.testing.XdsFixtures.sidecarListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.NodeIdentity;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.routing.Headers;
import dev.inboard.mesh.routing.RequestInfo;
import dev.inboard.mesh.testing.FakeAdsServer;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String V1 = clusterName(9080, "v1", HOST);

  @Test
  void start_feedsTheEngineFromTheXdsClient_readyOnceConfigIsComplete() throws Exception {
    try (FakeAdsServer server = new FakeAdsServer()) {
      ManagedChannel channel = server.channel();
      try (Mesh mesh = Mesh.start(MeshOptions.builder()
          .channel(channel, "fake", NodeIdentity.builder().namespace("default").app("productpage").build(),
              XdsProtocol.SOTW)
          .build())) {
        FakeAdsServer.Stream s = server.nextStream();
        s.sendSotw(CDS, "1", "a", List.of(edsCluster(V1)));
        s.sendSotw(EDS, "1", "b", List.of(endpoints(V1, "10.0.0.11:9080")));
        s.sendSotw(LDS, "1", "c", List.of(sidecarListener(9080, "9080")));
        s.sendSotw(RDS, "1", "d", List.of(routeTo("9080", HOST, V1)));

        assertThat(mesh.awaitReady(Duration.ofSeconds(5)).complete()).isTrue();
        TrafficEngine.Decision d = mesh.engine().decide(
            RequestInfo.of("GET", "http", HOST, "/", Headers.EMPTY), 9080);
        assertThat(d).isInstanceOf(TrafficEngine.Decision.Send.class);
        assertThat(((TrafficEngine.Decision.Send) d).host().address().toString()).isEqualTo("10.0.0.11:9080");
        assertThat(mesh.engine().cluster(V1)).hasValueSatisfying(c -> assertThat(c.hosts()).hasSize(1));
        assertThat(mesh.engine().cluster("outbound|9080|v9|" + HOST)).isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
