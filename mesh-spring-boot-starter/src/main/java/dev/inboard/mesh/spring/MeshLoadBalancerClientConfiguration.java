package dev.inboard.mesh.spring;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The default configuration of every Spring Cloud LoadBalancer client context: the mesh's supplier for the client's
 * service, before Spring Cloud's discovery-client supplier (which then backs off). A client configured with a
 * supplier of its own keeps it.
 */
@Configuration(proxyBeanMethods = false)
class MeshLoadBalancerClientConfiguration {
  @Bean
  @ConditionalOnMissingBean
  ServiceInstanceListSupplier meshServiceInstanceListSupplier(Environment environment, MeshServiceCatalog catalog,
      ObjectProvider<DiscoveryClient> discovery) {
    String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME, "");
    return new MeshServiceInstanceListSupplier(serviceId, catalog, id -> {
      DiscoveryClient client = discovery.getIfAvailable();
      List<ServiceInstance> instances = client == null ? List.of() : client.getInstances(id);
      return instances;
    });
  }
}
