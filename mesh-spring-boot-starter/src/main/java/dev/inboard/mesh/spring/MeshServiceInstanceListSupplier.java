package dev.inboard.mesh.spring;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * The instances Spring Cloud LoadBalancer picks from for one service: the mesh's endpoints when the mesh knows the
 * service, as they are now and then after each configuration change (no cache in between); otherwise what
 * {@code fallback} (the application's discovery clients) returns, read on a bounded elastic thread.
 */
public final class MeshServiceInstanceListSupplier implements ServiceInstanceListSupplier {
  private final String serviceId;
  private final MeshServiceCatalog catalog;
  private final Function<String, List<ServiceInstance>> fallback;

  public MeshServiceInstanceListSupplier(String serviceId, MeshServiceCatalog catalog,
      Function<String, List<ServiceInstance>> fallback) {
    this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public String getServiceId() {
    return serviceId;
  }

  @Override
  public Flux<List<ServiceInstance>> get() {
    return Flux.defer(() -> {
      if (!catalog.knows(serviceId)) {
        return Flux.defer(() -> Flux.just(fallback.apply(serviceId))).subscribeOn(Schedulers.boundedElastic());
      }
      Flux<List<ServiceInstance>> updates = Flux.create(sink -> {
        Runnable listener = () -> emit(sink);
        catalog.addListener(listener);
        sink.onDispose(() -> catalog.removeListener(listener));
        emit(sink);
      }, FluxSink.OverflowStrategy.LATEST);
      return updates.distinctUntilChanged();
    });
  }

  private void emit(FluxSink<List<ServiceInstance>> sink) {
    sink.next(catalog.instances(serviceId));
  }
}
