package dev.inboard.mesh.agent.server;

import static dev.inboard.mesh.testing.XdsFixtures.edsCluster;
import static dev.inboard.mesh.testing.XdsFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.agent.xdsgen.GeneratedXds;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {
  static final String V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
  static final String V2 = "outbound|9080|v2|reviews.default.svc.cluster.local";

  final SnapshotPublisher publisher = new SnapshotPublisher();

  @Test
  void versionsChangeExactlyWhenATypesContentDoes() {
    assertThat(publisher.publish("node-a", xds(List.of(V1), "10.0.0.1:9080"))).isTrue();
    var first = publisher.snapshot("node-a").orElseThrow();

    assertThat(publisher.publish("node-a", xds(List.of(V1), "10.0.0.1:9080"))).isFalse();
    assertThat(publisher.snapshot("node-a").orElseThrow()).isSameAs(first);

    assertThat(publisher.publish("node-a", xds(List.of(V1), "10.0.0.2:9080"))).isTrue();
    var second = publisher.snapshot("node-a").orElseThrow();
    assertThat(second.version(ResourceType.CLUSTER)).isEqualTo(first.version(ResourceType.CLUSTER));
    assertThat(second.version(ResourceType.ENDPOINT)).isNotEqualTo(first.version(ResourceType.ENDPOINT));
    assertThat(second.version(ResourceType.LISTENER)).isEqualTo(first.version(ResourceType.LISTENER)).isNotEmpty();

    publisher.publish("node-b", xds(List.of(V1), "10.0.0.2:9080"));
    assertThat(publisher.snapshot("node-b").orElseThrow().version(ResourceType.ENDPOINT))
        .isEqualTo(second.version(ResourceType.ENDPOINT));
  }

  @Test
  void version_dependsOnOrderAndContent() {
    assertThat(SnapshotPublisher.version(List.of(edsCluster(V1), edsCluster(V2))))
        .isNotEqualTo(SnapshotPublisher.version(List.of(edsCluster(V2), edsCluster(V1))))
        .isNotEqualTo(SnapshotPublisher.version(List.of(edsCluster(V1))))
        .hasSize(16);
  }

  @Test
  void forget_dropsTheNodesSnapshot() {
    publisher.publish("node-a", xds(List.of(V1), "10.0.0.1:9080"));
    publisher.forget("node-a");
    assertThat(publisher.snapshot("node-a")).isEmpty();
    assertThat(publisher.served("node-a")).isEmpty();
  }

  private static GeneratedXds xds(List<String> clusters, String endpoint) {
    return new GeneratedXds(clusters.stream().map(c -> edsCluster(c)).toList(),
        clusters.stream().map(c -> endpoints(c, endpoint)).toList(), List.of(), List.of());
  }
}
