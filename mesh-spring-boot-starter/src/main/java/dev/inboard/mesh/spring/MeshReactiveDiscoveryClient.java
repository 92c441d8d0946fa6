package dev.inboard.mesh.spring;

import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/**
 * Spring Cloud's {@link ReactiveDiscoveryClient} over the mesh's services ({@link MeshServiceCatalog}); the catalog
 * is in memory, so nothing blocks.
 */
public final class MeshReactiveDiscoveryClient implements ReactiveDiscoveryClient {
  private final MeshServiceCatalog catalog;

  public MeshReactiveDiscoveryClient(MeshServiceCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  public String description() {
    return "Inboard mesh reactive discovery client (services and endpoints from xDS)";
  }

  @Override
  public Flux<ServiceInstance> getInstances(String serviceId) {
    return Flux.defer(() -> Flux.fromIterable(catalog.instances(serviceId)));
  }

  @Override
  public Flux<String> getServices() {
    return Flux.defer(() -> Flux.fromIterable(catalog.services()));
  }
}
