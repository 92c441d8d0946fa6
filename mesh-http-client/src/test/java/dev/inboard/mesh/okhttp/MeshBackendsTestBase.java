package dev.inboard.mesh.okhttp;

import static dev.inboard.mesh.okhttp.MeshFixture.URL;
import static dev.inboard.mesh.okhttp.MeshFixture.clusters;
import static dev.inboard.mesh.okhttp.MeshFixture.routes;

import dev.inboard.mesh.MeshOptions.OutboundPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Three loopback backends (v1, v2, mirror) that answer their name, and a mesh started per test in front of them. */
abstract class MeshBackendsTestBase {
  protected final MockWebServer v1 = new MockWebServer();
  protected final MockWebServer v2 = new MockWebServer();
  protected final MockWebServer mirror = new MockWebServer();
  protected MeshFixture fixture;

  @BeforeEach
  void startBackends() throws IOException {
    for (MockWebServer s : List.of(v1, v2, mirror)) {
      s.start(InetAddress.getLoopbackAddress(), 0);
    }
    v1.setDispatcher(answering("v1"));
    v2.setDispatcher(answering("v2"));
    mirror.setDispatcher(answering("mirror"));
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
    v1.close();
    v2.close();
    mirror.close();
  }

  static Dispatcher answering(String body) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body(body).build();
      }
    };
  }

  MeshFixture start(Route... routes) throws Exception {
    return start(OutboundPolicy.ALLOW_ANY, clusters(), routes);
  }

  MeshFixture start(OutboundPolicy policy, List<Cluster> clusters, Route... routes) throws Exception {
    fixture = MeshFixture.start(policy, routes(routes), clusters, v1, v2, mirror);
    return fixture;
  }

  Response get(String path) throws IOException {
    return fixture.client.newCall(new Request.Builder().url(URL + path).build()).execute();
  }
}
