package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;

/** Which discovery beans the starter contributes, by classpath and property, and how they back off. */
class MeshDiscoveryAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshDiscoveryAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
      .withPropertyValues("mesh.control-plane=" + MeshAutoConfigurationTest.NOWHERE, "mesh.namespace=bookinfo");

  @Test
  void springCloudOnClasspath_catalogClientsAndLoadBalancerDefaults() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(MeshServiceCatalog.class)
          .hasSingleBean(MeshDiscoveryClient.class).hasSingleBean(MeshReactiveDiscoveryClient.class);
      assertThat(context.getBeansOfType(LoadBalancerClientSpecification.class).values())
          .filteredOn(spec -> spec.getName().startsWith("default."))
          .flatExtracting(spec -> List.of(spec.getConfiguration()))
          .contains(MeshLoadBalancerClientConfiguration.class);
      // No configuration yet: no services, and no failure.
      assertThat(context.getBean(MeshDiscoveryClient.class).getServices()).isEmpty();
    });
  }

  @Test
  void propertyOff_noBeans() {
    runner.withPropertyValues("mesh.discovery.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MeshServiceCatalog.class).doesNotHaveBean(DiscoveryClient.class)
        .doesNotHaveBean(ReactiveDiscoveryClient.class));
  }

  @Test
  void springCloudDiscoveryOff_noBeans() {
    runner.withPropertyValues("spring.cloud.discovery.enabled=false").run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshServiceCatalog.class).doesNotHaveBean(DiscoveryClient.class));
  }

  @Test
  void reactiveDiscoveryOff_blockingClientOnly() {
    runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false").run(context -> assertThat(context)
        .hasNotFailed().hasSingleBean(MeshDiscoveryClient.class).doesNotHaveBean(ReactiveDiscoveryClient.class));
  }

  @Test
  void withoutSpringCloud_noBeans() {
    runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class)).run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshServiceCatalog.class));
  }

  @Test
  void withoutLoadBalancer_clientsButNoLoadBalancerDefaults() {
    runner.withClassLoader(new FilteredClassLoader(LoadBalancerClients.class)).run(context -> assertThat(context)
        .hasNotFailed().hasSingleBean(MeshDiscoveryClient.class)
        .doesNotHaveBean(LoadBalancerClientSpecification.class));
  }

  @Test
  void meshDisabled_noBeans() {
    runner.withPropertyValues("mesh.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MeshServiceCatalog.class).doesNotHaveBean(DiscoveryClient.class));
  }

  @Test
  void applicationsClientOfTheSameName_backsOff() {
    DiscoveryClient own = new DiscoveryClient() {
      @Override
      public String description() {
        return "own";
      }

      @Override
      public List<ServiceInstance> getInstances(String serviceId) {
        return List.of();
      }

      @Override
      public List<String> getServices() {
        return List.of("own");
      }
    };
    runner.withBean("meshDiscoveryClient", DiscoveryClient.class, () -> own).run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshDiscoveryClient.class).getBean("meshDiscoveryClient").isSameAs(own));
  }
}
