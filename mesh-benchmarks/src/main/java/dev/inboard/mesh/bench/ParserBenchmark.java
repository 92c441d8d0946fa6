package dev.inboard.mesh.bench;

import com.google.protobuf.Any;
import dev.inboard.mesh.config.ClusterConfig;
import dev.inboard.mesh.config.EndpointsConfig;
import dev.inboard.mesh.config.ListenerConfig;
import dev.inboard.mesh.config.RouteConfig;
import dev.inboard.mesh.xds.parse.ClusterLoadAssignmentParser;
import dev.inboard.mesh.xds.parse.ClusterParser;
import dev.inboard.mesh.xds.parse.ListenerParser;
import dev.inboard.mesh.xds.parse.ParseResult;
import dev.inboard.mesh.xds.parse.ResourceParser;
import dev.inboard.mesh.xds.parse.RouteConfigurationParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The four resource parsers alone, each on one istiod-shaped resource from {@link IstioScaleFixture} packed in an
 * {@code Any} as it arrives: decoding the body, validating, building the record. The cluster is a sidecar EDS
 * cluster with auto-mTLS; the load assignment has {@code endpointsPerService} endpoints; the listener is
 * {@code 0.0.0.0_80}; the route configuration is {@code 80}, which holds one virtual host per service on port 80
 * ({@code services / 4}) plus {@code allow_any}.
 */
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ParserBenchmark {
  @Param("1000")
  public int services;
  @Param("10")
  public int endpointsPerService;

  private final ClusterParser clusterParser = new ClusterParser();
  private final ClusterLoadAssignmentParser assignmentParser = new ClusterLoadAssignmentParser();
  private final ListenerParser listenerParser = new ListenerParser();
  private final RouteConfigurationParser routeParser = new RouteConfigurationParser();

  private Any cluster;
  private Any assignment;
  private Any listener;
  private Any routeConfiguration;

  @Setup
  public void setUp() {
    IstioScaleFixture fixture = IstioScaleFixture.generate(services, endpointsPerService, XdsApplyBenchmark.SEED);
    cluster = Any.pack(fixture.clusters().get(0));
    assignment = Any.pack(fixture.loadAssignments().get(0));
    listener = Any.pack(fixture.listeners().get(0));
    routeConfiguration = Any.pack(fixture.routeConfigurations().get(0));
    requireValid(clusterParser, cluster);
    requireValid(assignmentParser, assignment);
    requireValid(listenerParser, listener);
    requireValid(routeParser, routeConfiguration);
  }

  private static void requireValid(ResourceParser<?, ?> parser, Any resource) {
    ParseResult<?> result = parser.parse(resource);
    if (!(result instanceof ParseResult.Valid<?>)) {
      throw new IllegalStateException("fixture resource refused: " + result);
    }
  }

  @Benchmark
  public ParseResult<ClusterConfig> cluster() {
    return clusterParser.parse(cluster);
  }

  @Benchmark
  public ParseResult<EndpointsConfig> clusterLoadAssignment() {
    return assignmentParser.parse(assignment);
  }

  @Benchmark
  public ParseResult<ListenerConfig> listener() {
    return listenerParser.parse(listener);
  }

  @Benchmark
  public ParseResult<RouteConfig> routeConfiguration() {
    return routeParser.parse(routeConfiguration);
  }
}
