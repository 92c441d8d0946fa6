package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/**
 * Spring Cloud discovery over the mesh when {@code spring-cloud-commons} is on the classpath: a
 * {@link MeshServiceCatalog} ({@code meshServiceCatalog}) following the mesh's snapshot, a {@link DiscoveryClient}
 * ({@code meshDiscoveryClient}) and {@link ReactiveDiscoveryClient} ({@code meshReactiveDiscoveryClient}) over it
 * (Spring Cloud's composite clients include them), and, with {@code spring-cloud-loadbalancer}, a
 * {@link MeshServiceInstanceListSupplier} in every load-balancer client's context, so {@code @LoadBalanced} clients
 * pick from the mesh's endpoints as they change (services the mesh does not know come from the other discovery
 * clients). Off with {@code mesh.discovery.enabled=false} (or Spring Cloud's {@code spring.cloud.discovery.*}
 * switches); each bean backs off when the application defines one of the same name (the supplier: a supplier
 * of its own for the client).
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(prefix = "mesh.discovery", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Mesh.class)
public class MeshDiscoveryAutoConfiguration {
  static final String CATALOG = "meshServiceCatalog";

  @Bean(name = CATALOG)
  @ConditionalOnMissingBean(name = CATALOG)
  MeshServiceCatalog meshServiceCatalog(Mesh mesh, ObjectProvider<XdsBootstrap> bootstrap) {
    String namespace = bootstrap.stream().findFirst().flatMap(b -> b.node().namespace()).orElse("default");
    return new MeshServiceCatalog(mesh, namespace);
  }

  /** The blocking client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBlockingDiscoveryEnabled
  static class Blocking {
    @Bean
    @ConditionalOnMissingBean(name = "meshDiscoveryClient")
    MeshDiscoveryClient meshDiscoveryClient(MeshServiceCatalog meshServiceCatalog) {
      return new MeshDiscoveryClient(meshServiceCatalog);
    }
  }

  /** The reactive client, with Reactor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ReactiveDiscoveryClient.class, Flux.class})
  @ConditionalOnReactiveDiscoveryEnabled
  static class Reactive {
    @Bean
    @ConditionalOnMissingBean(name = "meshReactiveDiscoveryClient")
    MeshReactiveDiscoveryClient meshReactiveDiscoveryClient(MeshServiceCatalog meshServiceCatalog) {
      return new MeshReactiveDiscoveryClient(meshServiceCatalog);
    }
  }

  /** The supplier in each load-balancer client's context, with {@code spring-cloud-loadbalancer}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ServiceInstanceListSupplier.class, LoadBalancerClients.class})
  @LoadBalancerClients(defaultConfiguration = MeshLoadBalancerClientConfiguration.class)
  static class LoadBalancer {}
}
