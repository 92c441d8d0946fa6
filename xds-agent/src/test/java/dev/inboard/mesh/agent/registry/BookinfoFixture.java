package dev.inboard.mesh.agent.registry;

import java.nio.file.Path;
import java.util.Map;

/** Bookinfo as a registry sees it: its Kubernetes Services, its pods as WorkloadEntries, productpage connected. */
public final class BookinfoFixture {
  public static final Path KUBE = Path.of("src/test/resources/istio/bookinfo/platform/kube/bookinfo.yaml");
  public static final Path NETWORKING = Path.of("src/test/resources/istio/bookinfo/networking");

  /** Bookinfo's pods, written as WorkloadEntries: productpage connects instead (auto-registration). */
  public static final String WORKLOADS = """
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: details-v1}
      spec:
        address: 10.0.0.11
        labels: {app: details, version: v1}
        serviceAccount: bookinfo-details
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: ratings-v1}
      spec:
        address: 10.0.0.21
        labels: {app: ratings, version: v1}
        serviceAccount: bookinfo-ratings
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: reviews-v1}
      spec:
        address: 10.0.0.31
        labels: {app: reviews, version: v1}
        serviceAccount: bookinfo-reviews
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: reviews-v2}
      spec:
        address: 10.0.0.32
        labels: {app: reviews, version: v2}
        serviceAccount: bookinfo-reviews
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: reviews-v3}
      spec:
        address: 10.0.0.33
        labels: {app: reviews, version: v3}
        serviceAccount: bookinfo-reviews
      """;

  public static final WorkloadInstance PRODUCTPAGE = new WorkloadInstance("productpage-v1", "default", "10.0.0.41",
      Map.of("app", "productpage", "version", "v1", "security.istio.io/tlsMode", "istio"), "bookinfo-productpage",
      Map.of("http", 9080), "", "", true, 0, WorkloadInstance.Origin.AUTO_REGISTERED);

  private BookinfoFixture() {}
}
