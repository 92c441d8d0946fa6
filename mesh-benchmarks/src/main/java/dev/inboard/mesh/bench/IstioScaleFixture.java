package dev.inboard.mesh.bench;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The xDS an istiod would send to one sidecar in a mesh of {@code N} Kubernetes services, each with one port and
 * {@code M} endpoints: {@code N} EDS clusters {@code outbound|PORT||svc-I.ns-K.svc.cluster.local}, their
 * {@code N} load assignments ({@code N x M} endpoints), and one outbound listener and one route configuration per
 * service port.
 *
 * <p>The mesh follows the shape of Istio's own xDS scale benchmarks ({@code pilot/pkg/xds/testdata/benchmarks}):
 * service {@code I} has the virtual IP {@code 240.240.(I/255).(I%255)} and its pods the addresses
 * {@code 240.241.x.y}, labelled {@code security.istio.io/tlsMode: istio}. On top of that, a seeded random source
 * decides what varies between real services: how many versions (workloads) back each service, which zone each pod
 * runs in, and which few services have no sidecar (their endpoints carry no {@code tlsMode}). The same seed always
 * gives the same resources.
 */
public final class IstioScaleFixture {
  /** The namespace of the sidecar receiving the config: its route tables also list short host names. */
  public static final String PROXY_NAMESPACE = "ns-0";
  public static final String REGION = "us-east1";
  static final List<String> ZONES = List.of("us-east1-b", "us-east1-c", "us-east1-d");
  static final int NAMESPACES = 10;
  static final String CLUSTER_DOMAIN = "cluster.local";
  /** Pod addresses run from 240.241.0.0 up to 240.248.x.y; replaced pods take 240.250.x.y. */
  static final int MAX_ENDPOINTS = 8 * 255 * 255;

  /** The ports services are spread over, round-robin: three HTTP ports and one gRPC port. */
  public static final List<ServicePort> PORTS = List.of(
      new ServicePort("http", 80, Protocol.HTTP, 8080),
      new ServicePort("http-api", 8080, Protocol.HTTP, 8080),
      new ServicePort("http-web", 9080, Protocol.HTTP, 9080),
      new ServicePort("grpc", 7070, Protocol.GRPC, 7070));

  /** A port's application protocol, as Istio reads it from the port name. */
  public enum Protocol { HTTP, GRPC }

  /** A service port and the container port it forwards to. */
  public record ServicePort(String name, int number, Protocol protocol, int targetPort) {}

  /** A deployment behind a service: {@code svc-I-vN}. Pods without a sidecar take plaintext. */
  public record Workload(String name, String version, boolean sidecar) {}

  /** One pod of a service: its IP, zone and workload. */
  public record PodEndpoint(String ip, String zone, Workload workload) {}

  /** A Kubernetes service with one port. */
  public record Service(int index, String name, String namespace, String vip, ServicePort port,
                        String serviceAccount, List<Workload> workloads, List<PodEndpoint> endpoints) {
    public Service {
      workloads = List.copyOf(workloads);
      endpoints = List.copyOf(endpoints);
    }

    public String host() {
      return name + "." + namespace + ".svc." + CLUSTER_DOMAIN;
    }

    /** istiod's cluster name for the service port, without subset. */
    public String clusterName() {
      return "outbound|" + port.number() + "||" + host();
    }
  }

  private final int endpointsPerService;
  private final long seed;
  private final List<Service> services;
  private final List<Cluster> clusters;
  private final List<ClusterLoadAssignment> loadAssignments;
  private final List<Listener> listeners;
  private final List<RouteConfiguration> routeConfigurations;

  private IstioScaleFixture(int endpointsPerService, long seed, List<Service> services) {
    this.endpointsPerService = endpointsPerService;
    this.seed = seed;
    this.services = List.copyOf(services);
    List<Cluster> cds = new ArrayList<>(services.size());
    List<ClusterLoadAssignment> eds = new ArrayList<>(services.size());
    for (Service s : services) {
      cds.add(IstioClusters.cluster(s));
      eds.add(IstioEndpoints.assignment(s, s.endpoints()));
    }
    List<Listener> lds = new ArrayList<>();
    List<RouteConfiguration> rds = new ArrayList<>();
    for (ServicePort port : PORTS) {
      List<Service> onPort = services.stream().filter(s -> s.port().equals(port)).toList();
      if (!onPort.isEmpty()) {
        lds.add(IstioRoutes.outboundListener(port));
        rds.add(IstioRoutes.routeConfiguration(port, onPort));
      }
    }
    this.clusters = List.copyOf(cds);
    this.loadAssignments = List.copyOf(eds);
    this.listeners = List.copyOf(lds);
    this.routeConfigurations = List.copyOf(rds);
  }

  /**
   * Generates the mesh.
   *
   * @param services the number of services, hence of clusters and load assignments
   * @param endpointsPerService pods per service
   * @param seed decides versions, zones and which services have no sidecar
   */
  public static IstioScaleFixture generate(int services, int endpointsPerService, long seed) {
    if (services < 1 || services > 65_025) {
      throw new IllegalArgumentException("services must be in [1, 65025], was " + services);
    }
    if (endpointsPerService < 1 || (long) services * endpointsPerService > MAX_ENDPOINTS) {
      throw new IllegalArgumentException("endpointsPerService must be >= 1 and services x endpointsPerService <= "
          + MAX_ENDPOINTS + ", was " + services + " x " + endpointsPerService);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Service> out = new ArrayList<>(services);
    for (int i = 0; i < services; i++) {
      out.add(service(i, endpointsPerService, random));
    }
    return new IstioScaleFixture(endpointsPerService, seed, out);
  }

  private static Service service(int i, int endpointCount, SplittableRandom random) {
    String name = "svc-" + i;
    String namespace = "ns-" + (i % NAMESPACES);
    int versions = 1 + random.nextInt(3);
    // About one service in twenty runs without a sidecar: its pods take plaintext.
    boolean sidecar = random.nextInt(20) != 0;
    List<Workload> workloads = new ArrayList<>(versions);
    for (int v = 1; v <= versions; v++) {
      workloads.add(new Workload(name + "-v" + v, "v" + v, sidecar));
    }
    List<PodEndpoint> endpoints = new ArrayList<>(endpointCount);
    for (int j = 0; j < endpointCount; j++) {
      String zone = ZONES.get(random.nextInt(ZONES.size()));
      endpoints.add(new PodEndpoint(address(241, i * endpointCount + j), zone, workloads.get(j % versions)));
    }
    return new Service(i, name, namespace, address(240, i), PORTS.get(i % PORTS.size()), name, workloads,
        endpoints);
  }

  /** {@code 240.B.(n/255).(n%255)}, the addressing of Istio's scale benchmarks, carried into B+1 past 65025. */
  static String address(int second, int n) {
    int block = 255 * 255;
    return "240." + (second + n / block) + "." + (n % block / 255) + "." + (n % 255);
  }

  public List<Service> services() {
    return services;
  }

  public List<Cluster> clusters() {
    return clusters;
  }

  public List<ClusterLoadAssignment> loadAssignments() {
    return loadAssignments;
  }

  public List<Listener> listeners() {
    return listeners;
  }

  public List<RouteConfiguration> routeConfigurations() {
    return routeConfigurations;
  }

  public int endpointsPerService() {
    return endpointsPerService;
  }

  public long seed() {
    return seed;
  }

  public int endpointCount() {
    return services.size() * endpointsPerService;
  }

  /**
   * The load assignment of service {@code index} after its first pod was replaced by one at a new address
   * ({@code 240.250.x.y}): what istiod sends when a single endpoint of a cluster changes.
   */
  public ClusterLoadAssignment withFirstPodReplaced(int index) {
    Service s = services.get(Objects.checkIndex(index, services.size()));
    List<PodEndpoint> pods = new ArrayList<>(s.endpoints());
    PodEndpoint first = pods.get(0);
    pods.set(0, new PodEndpoint(address(250, index), first.zone(), first.workload()));
    return IstioEndpoints.assignment(s, pods);
  }
}
