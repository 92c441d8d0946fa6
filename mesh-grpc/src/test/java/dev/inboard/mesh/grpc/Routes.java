package dev.inboard.mesh.grpc;

import static dev.inboard.mesh.grpc.MeshHarness.HOST;
import static dev.inboard.mesh.grpc.MeshHarness.ROUTE;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;

/** Istio-shaped route configurations for the {@code reviews} destination. */
final class Routes {
  private Routes() {}

  static RouteConfiguration of(Route... routes) {
    return RouteConfiguration.newBuilder()
        .setName(ROUTE)
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName(HOST + ":9080")
            .addAllDomains(List.of(HOST, HOST + ":9080", "reviews", "reviews:9080", "reviews.default",
                "reviews.default:9080"))
            .addAllRoutes(List.of(routes)))
        .build();
  }

  static Route.Builder to(String cluster) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  static Route.Builder weighted(String a, int weightA, String b, int weightB) {
    return Route.newBuilder()
        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(a).setWeight(UInt32Value.of(weightA)))
            .addClusters(WeightedCluster.ClusterWeight.newBuilder().setName(b).setWeight(UInt32Value.of(weightB)))));
  }

  static Route.Builder whenHeader(String name, String exact, String cluster) {
    return to(cluster).setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(HeaderMatcher.newBuilder()
        .setName(name).setStringMatch(StringMatcher.newBuilder().setExact(exact))));
  }

  static Route.Builder withRouteAction(Route.Builder route, java.util.function.UnaryOperator<RouteAction.Builder> f) {
    return route.setRoute(f.apply(route.getRoute().toBuilder()));
  }

  static Any abort(int grpcStatus) {
    return Any.pack(HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder()
        .setGrpcStatus(grpcStatus)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100)
            .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))
        .build());
  }

  static Any delay(com.google.protobuf.Duration delay) {
    return Any.pack(HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(delay)
        .setPercentage(FractionalPercent.newBuilder().setNumerator(100)
            .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))
        .build());
  }
}
