package dev.inboard.mesh.spring;

import dev.inboard.mesh.okhttp.MeshOkHttp;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@link WebClient} in the mesh when Spring WebFlux, {@code mesh-http-client} and OkHttp are on the classpath: an
 * {@link OkHttpClientHttpConnector} over {@code meshOkHttpClient} ({@code meshClientHttpConnector}, the context's
 * {@link ClientHttpConnector}, so Spring Boot's own connector backs off) and, with {@code spring-boot-webclient}, a
 * {@link WebClientCustomizer} ({@code meshWebClientCustomizer}) putting it on every {@link WebClient.Builder} taken
 * from the context. With Spring Boot's HTTP client module the connector is made with {@code spring.http.clients.*}
 * (timeouts, redirects, SSL bundle) and an {@link OkHttpClientHttpConnectorBuilder} is the context's
 * {@code ClientHttpConnectorBuilder} ({@code meshClientHttpConnectorBuilder}, for {@code WebClientSsl}). Off with
 * {@code mesh.http-client.enabled=false}, as the blocking clients; the connector backs off
 * when the application defines a {@link ClientHttpConnector} of its own (its WebClients then leave the mesh), the
 * customizer when it defines one named {@code meshWebClientCustomizer}.
 */
@AutoConfiguration(after = MeshHttpClientAutoConfiguration.class, beforeName = {
    MeshHttpClientAutoConfiguration.REACTIVE_HTTP_CLIENT_AUTO_CONFIGURATION,
    "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration"})
@ConditionalOnClass({MeshOkHttp.class, OkHttpClient.class, WebClient.class, ClientHttpConnector.class})
@ConditionalOnProperty(prefix = "mesh.http-client", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(name = MeshHttpClientAutoConfiguration.CLIENT)
public class MeshWebClientAutoConfiguration {
  static final String CONNECTOR = "meshClientHttpConnector";
  static final String CONNECTOR_BUILDER = "meshClientHttpConnectorBuilder";
  private static final String BOOT_CONNECTOR_BUILDER =
      "org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder";

  /** The connector without Spring Boot's HTTP client module. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(BOOT_CONNECTOR_BUILDER)
  static class PlainConnector {
    @Bean(name = CONNECTOR)
    @ConditionalOnMissingBean(ClientHttpConnector.class)
    OkHttpClientHttpConnector meshClientHttpConnector(
        @Qualifier(MeshHttpClientAutoConfiguration.CLIENT) OkHttpClient client) {
      return new OkHttpClientHttpConnector(client);
    }
  }

  /** The connector builder, and a connector made with Boot's {@link HttpClientSettings}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT_CONNECTOR_BUILDER)
  static class BootConnectors {
    @Bean(name = CONNECTOR_BUILDER)
    @ConditionalOnMissingBean(ClientHttpConnectorBuilder.class)
    OkHttpClientHttpConnectorBuilder meshClientHttpConnectorBuilder(
        @Qualifier(MeshHttpClientAutoConfiguration.CLIENT) OkHttpClient client) {
      return new OkHttpClientHttpConnectorBuilder(client);
    }

    @Bean(name = CONNECTOR)
    @ConditionalOnMissingBean(ClientHttpConnector.class)
    OkHttpClientHttpConnector meshClientHttpConnector(
        @Qualifier(MeshHttpClientAutoConfiguration.CLIENT) OkHttpClient client,
        ObjectProvider<HttpClientSettings> settings) {
      return new OkHttpClientHttpConnectorBuilder(client).build(settings.getIfAvailable(HttpClientSettings::defaults));
    }
  }

  /** The customizer for the builders of {@code spring-boot-webclient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebClientCustomizer.class)
  static class WebClientCustomizers {
    /** Runs with Boot's own connector customizer (order 0); the application's customizers run after it. */
    @Bean
    @Order(0)
    @ConditionalOnMissingBean(name = "meshWebClientCustomizer")
    WebClientCustomizer meshWebClientCustomizer(@Qualifier(CONNECTOR) ObjectProvider<ClientHttpConnector> connector) {
      return builder -> connector.ifAvailable(builder::clientConnector);
    }
  }
}
