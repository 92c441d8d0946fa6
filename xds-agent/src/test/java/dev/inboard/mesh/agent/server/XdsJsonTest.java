package dev.inboard.mesh.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.inboard.mesh.agent.server.api.XdsJson;
import dev.inboard.mesh.testing.XdsFixtures;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;

class XdsJsonTest {
  @Test
  void typedConfigs_printInFull_andParseBack() throws Exception {
    Listener listener = XdsFixtures.sidecarListener(9080, "9080");

    String json = XdsJson.print(listener);

    assertThat(json).contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.network"
        + ".http_connection_manager.v3.HttpConnectionManager\"", "\"routeConfigName\": \"9080\"");
    assertThat(XdsJson.parse(json, Listener.newBuilder()).build()).isEqualTo(listener);
  }

  @Test
  void unknownTypedConfig_isNamed_notFatal() {
    var cluster = XdsFixtures.edsCluster("outbound|9080||reviews.default.svc.cluster.local").toBuilder()
        .setTransportSocket(TransportSocket.newBuilder().setName("istio.custom").setTypedConfig(Any.newBuilder()
            .setTypeUrl("type.googleapis.com/istio.custom.v1.Config").setValue(ByteString.copyFromUtf8("x"))))
        .build();

    String json = XdsJson.print(cluster);

    assertThat(json).contains("\"@type\": \"type.googleapis.com/istio.custom.v1.Config\"",
        "\"unknownType\": \"not shown: the type is unknown to meshctl\"",
        "\"name\": \"outbound|9080||reviews.default.svc.cluster.local\"");
  }
}
