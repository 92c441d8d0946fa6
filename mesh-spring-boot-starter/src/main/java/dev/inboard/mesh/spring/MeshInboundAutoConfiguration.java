package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.inbound.InboundChain;
import dev.inboard.mesh.inbound.InboundHttpStage;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * The inbound side of the mesh for web applications: an {@link InboundChain} ({@code meshInboundChain}) of every
 * {@link InboundHttpStage} bean, ordered by phase (stages of one phase by {@code @Order}, then registration order),
 * timed on the context's {@link MeshClock} when there is one. It runs as a servlet filter in servlet applications
 * ({@code meshInboundFilter}, registered for all URLs by {@code meshInboundFilterRegistration} at
 * {@link MeshInboundServletFilter#ORDER}) and as a web filter in reactive ones ({@code meshInboundWebFilter}).
 * Present when the context has stages or a {@link Mesh}; off with {@code mesh.inbound.enabled=false}; each bean backs
 * off when the application defines its own.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnProperty(prefix = "mesh.inbound", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(MeshInboundAutoConfiguration.StagesOrMesh.class)
public class MeshInboundAutoConfiguration {
  static final String CHAIN = "meshInboundChain";
  static final String REGISTRATION = "meshInboundFilterRegistration";

  @Bean(name = CHAIN)
  @ConditionalOnMissingBean
  InboundChain meshInboundChain(ObjectProvider<InboundHttpStage> stages, ObjectProvider<MeshClock> clock) {
    return InboundChain.builder()
        .clock(clock.getIfUnique(MeshClock::system))
        .addAll(stages.orderedStream().toList())
        .build();
  }

  /** The chain as a servlet filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(Filter.class)
  static class Servlet {
    @Bean
    @ConditionalOnMissingBean
    MeshInboundServletFilter meshInboundFilter(InboundChain chain) {
      return new MeshInboundServletFilter(chain);
    }

    @Bean(name = REGISTRATION)
    @ConditionalOnMissingBean(name = REGISTRATION)
    FilterRegistrationBean<MeshInboundServletFilter> meshInboundFilterRegistration(MeshInboundServletFilter filter) {
      FilterRegistrationBean<MeshInboundServletFilter> registration = new FilterRegistrationBean<>(filter);
      registration.setName("meshInboundFilter");
      registration.addUrlPatterns("/*");
      registration.setOrder(MeshInboundServletFilter.ORDER);
      return registration;
    }
  }

  /** The chain as a WebFlux web filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass({WebFilter.class, Mono.class})
  static class Reactive {
    @Bean
    @ConditionalOnMissingBean
    MeshInboundWebFilter meshInboundWebFilter(InboundChain chain) {
      return new MeshInboundWebFilter(chain);
    }
  }

  /** Stages to run, or a mesh that later stages come from. */
  static final class StagesOrMesh extends AnyNestedCondition {
    StagesOrMesh() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBean(InboundHttpStage.class)
    static final class Stages {}

    @ConditionalOnBean(Mesh.class)
    static final class WithMesh {}
  }
}
