package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code mesh} actuator endpoint and the {@code mesh} health indicator, when the actuator is present. */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnBean(Mesh.class)
public class MeshActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Endpoint.class)
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    MeshEndpoint meshEndpoint(Mesh mesh) {
      return new MeshEndpoint(mesh);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "meshHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("mesh")
    MeshHealthIndicator meshHealthIndicator(Mesh mesh) {
      return new MeshHealthIndicator(mesh);
    }
  }
}
