package dev.inboard.mesh.okhttp;

import dev.inboard.mesh.config.MirrorPolicy;
import dev.inboard.mesh.engine.TrafficEngine;
import dev.inboard.mesh.lb.Host;
import dev.inboard.mesh.lb.PickRequest;
import dev.inboard.mesh.lb.PickResult;
import dev.inboard.mesh.routing.RouteDecision;
import dev.inboard.mesh.routing.ShadowAuthority;
import dev.inboard.mesh.upstream.UpstreamCluster;
import java.io.IOException;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fire-and-forget copies of a request to the route's mirror clusters, with the {@code -shadow} authority. Their
 * outcome never reaches the caller; a request whose body can be read only once is not mirrored.
 */
final class Mirrors {
  private static final Logger log = LoggerFactory.getLogger(Mirrors.class);

  private final TrafficEngine engine;
  private final OkHttpClient client;
  private final UpstreamRequests upstream;
  private final String authority;

  Mirrors(TrafficEngine engine, OkHttpClient client, UpstreamRequests upstream, String authority) {
    this.engine = engine;
    this.client = client;
    this.upstream = upstream;
    this.authority = authority;
  }

  void fire(RouteDecision.Forward route) {
    if (route.mirrors().isEmpty()) {
      return;
    }
    Request request = upstream.request();
    if (request.body() != null && request.body().isOneShot()) {
      return;
    }
    for (MirrorPolicy mirror : route.mirrors()) {
      Optional<UpstreamCluster> cluster = engine.cluster(mirror.cluster());
      if (cluster.isEmpty()) {
        log.debug("not mirroring to {}: the cluster is unknown", mirror.cluster());
        continue;
      }
      PickResult pick = cluster.get().pick(route.hash()
          .map(h -> PickRequest.withHash(h.value())).orElse(PickRequest.ANY));
      if (!(pick instanceof Host host)) {
        log.debug("not mirroring to {}: {}", mirror.cluster(), ((PickResult.NoHost) pick).failure());
        continue;
      }
      String shadowAuthority = mirror.disableShadowHostSuffixAppend() ? authority : ShadowAuthority.of(authority);
      host.requestStarted();
      client.newCall(upstream.to(host, shadowAuthority)).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          host.requestFinished();
          log.debug("mirror to {} failed: {}", mirror.cluster(), e.toString());
        }

        @Override
        public void onResponse(Call call, Response response) {
          host.requestFinished();
          response.close();
        }
      });
    }
  }
}
