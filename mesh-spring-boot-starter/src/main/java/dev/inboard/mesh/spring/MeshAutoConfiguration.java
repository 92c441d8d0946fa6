package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.MeshOptions;
import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A started {@link Mesh} from {@code mesh.*} properties over the environment, closed with the context. Each bean
 * backs off when the application defines its own: a {@link BootstrapEnvironment} (what the environment is read
 * from), an {@link XdsBootstrap}, {@link MeshOptions} or the {@link Mesh} itself. The workload's ports and IP
 * default to {@code server.port} and {@code server.address} when set (see {@link MeshBootstrapFactory}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "mesh", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MeshProperties.class)
public class MeshAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  XdsBootstrap meshBootstrap(
      MeshProperties properties, ObjectProvider<BootstrapEnvironment> environment, Environment spring) {
    return MeshBootstrapFactory.create(
        properties,
        environment.getIfAvailable(BootstrapEnvironment::system),
        Optional.ofNullable(spring.getProperty("spring.application.name")),
        new ApplicationServer(Optional.ofNullable(spring.getProperty("server.port")),
            Optional.ofNullable(spring.getProperty("server.address"))));
  }

  @Bean
  @ConditionalOnMissingBean
  MeshOptions meshOptions(XdsBootstrap bootstrap, MeshProperties properties) {
    return MeshOptions.builder().bootstrap(bootstrap).outboundPolicy(properties.outboundPolicy()).build();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Mesh mesh(MeshOptions options, MeshProperties properties) {
    Mesh mesh = Mesh.start(options);
    if (properties.waitForConfig() != null) {
      MeshStartup.awaitFirstConfig(mesh, properties.waitForConfig());
    }
    return mesh;
  }
}
