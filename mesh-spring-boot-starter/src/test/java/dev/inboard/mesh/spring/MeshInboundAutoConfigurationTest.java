package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.inbound.InboundChain;
import dev.inboard.mesh.inbound.InboundExchange;
import dev.inboard.mesh.inbound.InboundHttpStage;
import dev.inboard.mesh.inbound.InboundPhase;
import dev.inboard.mesh.inbound.InboundVerdict;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

class MeshInboundAutoConfigurationTest {
  /** Nothing listens on port 1: the mesh starts and retries without configuration. */
  static final String NOWHERE = "127.0.0.1:1";
  static final AutoConfigurations CONFIGS =
      AutoConfigurations.of(MeshAutoConfiguration.class, MeshInboundAutoConfiguration.class);

  final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
      .withConfiguration(CONFIGS)
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
      .withPropertyValues("mesh.control-plane=" + NOWHERE);

  /** A stage that only proceeds; its name tells it apart. */
  record Named(String name, InboundPhase phase) implements InboundHttpStage {
    @Override
    public InboundVerdict onRequest(InboundExchange exchange) {
      return InboundVerdict.proceed();
    }
  }

  @Test
  void servletAppWithTheMesh_filterForAllUrls_atHighPrecedence() {
    servlet.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(InboundChain.class)
          .hasSingleBean(MeshInboundServletFilter.class).doesNotHaveBean(MeshInboundWebFilter.class);
      assertThat(context.getBean(InboundChain.class).stages()).isEmpty();
      FilterRegistrationBean<?> registration =
          context.getBean("meshInboundFilterRegistration", FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isSameAs(context.getBean(MeshInboundServletFilter.class));
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
      assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 10);
      assertThat(registration.getFilterName()).isEqualTo("meshInboundFilter");
    });
  }

  @Test
  void stageBeans_orderedByPhase_thenByRegistration_evenWithoutTheMesh() {
    servlet.withPropertyValues("mesh.enabled=false")
        .withBean("telemetry", InboundHttpStage.class, () -> new Named("telemetry", InboundPhase.TELEMETRY))
        .withBean("authz", InboundHttpStage.class, () -> new Named("authz", InboundPhase.AUTHORIZATION))
        .withBean("peer", InboundHttpStage.class, () -> new Named("peer", InboundPhase.PEER_IDENTITY))
        .withBean("authz2", InboundHttpStage.class, () -> new Named("authz-2", InboundPhase.AUTHORIZATION))
        .run(context -> {
          assertThat(context).doesNotHaveBean(dev.inboard.mesh.Mesh.class).hasSingleBean(MeshInboundServletFilter.class);
          assertThat(context.getBean(InboundChain.class).stages()).extracting(s -> ((Named) s).name())
              .containsExactly("peer", "authz", "authz-2", "telemetry");
        });
  }

  @Test
  void noStagesAndNoMesh_nothing() {
    servlet.withPropertyValues("mesh.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(InboundChain.class)
          .doesNotHaveBean(MeshInboundServletFilter.class).doesNotHaveBean("meshInboundFilterRegistration");
    });
  }

  @Test
  void inboundDisabled_nothing() {
    servlet.withPropertyValues("mesh.inbound.enabled=false")
        .withBean(InboundHttpStage.class, () -> new Named("peer", InboundPhase.PEER_IDENTITY))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(InboundChain.class)
              .doesNotHaveBean(MeshInboundServletFilter.class);
        });
  }

  @Test
  void notAWebApplication_nothing() {
    new ApplicationContextRunner().withConfiguration(CONFIGS)
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
        .withPropertyValues("mesh.control-plane=" + NOWHERE)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(dev.inboard.mesh.Mesh.class)
              .doesNotHaveBean(InboundChain.class);
        });
  }

  @Test
  void applicationBeans_autoConfiguredOnesBackOff() {
    InboundChain own = InboundChain.builder().add(new Named("own", InboundPhase.AUTHORIZATION)).build();
    MeshInboundServletFilter ownFilter = new MeshInboundServletFilter(own);
    servlet.withBean("ownChain", InboundChain.class, () -> own)
        .withBean("ownFilter", MeshInboundServletFilter.class, () -> ownFilter)
        .withBean("meshInboundFilterRegistration", FilterRegistrationBean.class, FilterRegistrationBean::new)
        .run(context -> {
          assertThat(context).hasSingleBean(InboundChain.class).hasBean("ownChain").doesNotHaveBean("meshInboundChain");
          assertThat(context).hasSingleBean(MeshInboundServletFilter.class).doesNotHaveBean("meshInboundFilter");
          assertThat(context.getBean("meshInboundFilterRegistration", FilterRegistrationBean.class).getFilter())
              .isNull();
        });
  }

  @Test
  void reactiveApp_webFilter_noServletFilter() {
    new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGS)
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
        .withPropertyValues("mesh.control-plane=" + NOWHERE)
        .withBean(InboundHttpStage.class, () -> new Named("peer", InboundPhase.PEER_IDENTITY))
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(MeshInboundWebFilter.class)
              .doesNotHaveBean(MeshInboundServletFilter.class).doesNotHaveBean("meshInboundFilterRegistration");
          assertThat(context.getBean(MeshInboundWebFilter.class).getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 10);
          assertThat(context.getBean(InboundChain.class).stages()).hasSize(1);
        });
  }

  @Test
  void reactiveApp_inboundDisabled_noWebFilter() {
    new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGS)
        .withPropertyValues("mesh.enabled=false", "mesh.inbound.enabled=false")
        .withBean(InboundHttpStage.class, () -> new Named("peer", InboundPhase.PEER_IDENTITY))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeshInboundWebFilter.class));
  }
}
