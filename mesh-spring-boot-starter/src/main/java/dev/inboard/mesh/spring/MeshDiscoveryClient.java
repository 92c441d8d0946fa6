package dev.inboard.mesh.spring;

import java.util.List;
import java.util.Objects;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Spring Cloud's blocking {@link DiscoveryClient} over the mesh's services ({@link MeshServiceCatalog}). */
public final class MeshDiscoveryClient implements DiscoveryClient {
  private final MeshServiceCatalog catalog;

  public MeshDiscoveryClient(MeshServiceCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  public String description() {
    return "Inboard mesh discovery client (services and endpoints from xDS)";
  }

  @Override
  public List<ServiceInstance> getInstances(String serviceId) {
    return catalog.instances(serviceId);
  }

  @Override
  public List<String> getServices() {
    return catalog.services();
  }
}
