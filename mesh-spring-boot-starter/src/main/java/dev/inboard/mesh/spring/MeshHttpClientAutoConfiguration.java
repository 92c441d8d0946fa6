package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
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
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's blocking HTTP clients in the mesh when {@code mesh-http-client} and OkHttp are on the classpath: an
 * {@link OkHttpClient} with the mesh enabled ({@code meshOkHttpClient}), a {@link ClientHttpRequestFactory} over it
 * ({@code meshClientHttpRequestFactory}) and, with Spring Boot's HTTP client module, an
 * {@link OkHttpClientHttpRequestFactoryBuilder} as the context's {@link ClientHttpRequestFactoryBuilder}
 * ({@code meshClientHttpRequestFactoryBuilder}): the builder Boot's {@link RestClient.Builder} and
 * {@code RestTemplateBuilder} make their factories with, so {@code spring.http.clients.connect-timeout},
 * {@code read-timeout} and {@code RestTemplateBuilder.connectTimeout/readTimeout} apply to mesh calls. With
 * {@code spring-boot-restclient}, customizers put {@code meshClientHttpRequestFactory} on every builder taken from the
 * context whose factory the mesh's builder did not make (an application's own builder bean). Off with
 * {@code mesh.http-client.enabled=false}; each bean backs off when the application defines one of the same name (the
 * factory builder: of the same type).
 */
@AutoConfiguration(after = MeshAutoConfiguration.class, beforeName = {
    MeshHttpClientAutoConfiguration.IMPERATIVE_HTTP_CLIENT_AUTO_CONFIGURATION,
    MeshHttpClientAutoConfiguration.REACTIVE_HTTP_CLIENT_AUTO_CONFIGURATION})
@ConditionalOnClass({MeshOkHttp.class, OkHttpClient.class, ClientHttpRequestFactory.class})
@ConditionalOnProperty(prefix = "mesh.http-client", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Mesh.class)
public class MeshHttpClientAutoConfiguration {
  static final String CLIENT = "meshOkHttpClient";
  static final String REQUEST_FACTORY = "meshClientHttpRequestFactory";
  static final String REQUEST_FACTORY_BUILDER = "meshClientHttpRequestFactoryBuilder";
  static final String IMPERATIVE_HTTP_CLIENT_AUTO_CONFIGURATION =
      "org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration";
  static final String REACTIVE_HTTP_CLIENT_AUTO_CONFIGURATION =
      "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration";
  private static final String BOOT_FACTORY_BUILDER =
      "org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder";

  @Bean(name = CLIENT)
  @ConditionalOnMissingBean(name = CLIENT)
  OkHttpClient meshOkHttpClient(Mesh mesh) {
    // Redirects answered by a mesh service are left to the caller: OkHttp would follow them outside the mesh.
    return MeshOkHttp.enable(new OkHttpClient.Builder().followRedirects(false), mesh).build();
  }

  /** The factory without Spring Boot's HTTP client module. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(BOOT_FACTORY_BUILDER)
  static class PlainRequestFactory {
    @Bean(name = REQUEST_FACTORY)
    @ConditionalOnMissingBean(name = REQUEST_FACTORY)
    ClientHttpRequestFactory meshClientHttpRequestFactory(@Qualifier(CLIENT) OkHttpClient client) {
      return new OkHttpClientHttpRequestFactory(client);
    }
  }

  /** The factory builder and a factory made with Boot's {@link HttpClientSettings}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT_FACTORY_BUILDER)
  static class BootRequestFactories {
    @Bean(name = REQUEST_FACTORY_BUILDER)
    @ConditionalOnMissingBean(ClientHttpRequestFactoryBuilder.class)
    OkHttpClientHttpRequestFactoryBuilder meshClientHttpRequestFactoryBuilder(@Qualifier(CLIENT) OkHttpClient client) {
      return new OkHttpClientHttpRequestFactoryBuilder(client);
    }

    @Bean(name = REQUEST_FACTORY)
    @ConditionalOnMissingBean(name = REQUEST_FACTORY)
    ClientHttpRequestFactory meshClientHttpRequestFactory(@Qualifier(CLIENT) OkHttpClient client,
        ObjectProvider<HttpClientSettings> settings) {
      return new OkHttpClientHttpRequestFactoryBuilder(client)
          .build(settings.getIfAvailable(HttpClientSettings::defaults));
    }
  }

  /** Customizers for the builders of {@code spring-boot-restclient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClientCustomizer.class, RestClient.class})
  static class RestClientCustomizers {
    @Bean
    @ConditionalOnMissingBean(name = "meshRestClientCustomizer")
    RestClientCustomizer meshRestClientCustomizer(@Qualifier(REQUEST_FACTORY) ClientHttpRequestFactory factory,
        ObjectProvider<ClientHttpRequestFactoryBuilder<?>> builders) {
      return builder -> {
        if (!madeByTheMeshBuilder(factory, builders)) {
          builder.requestFactory(factory);
        }
      };
    }

    @Bean
    @ConditionalOnMissingBean(name = "meshRestTemplateCustomizer")
    @ConditionalOnClass(RestTemplate.class)
    RestTemplateCustomizer meshRestTemplateCustomizer(@Qualifier(REQUEST_FACTORY) ClientHttpRequestFactory factory,
        ObjectProvider<ClientHttpRequestFactoryBuilder<?>> builders) {
      return restTemplate -> {
        if (!madeByTheMeshBuilder(factory, builders)) {
          restTemplate.setRequestFactory(factory);
        }
      };
    }

    /**
     * Whether Boot's configurers already gave the builder a mesh factory: the context's factory builder is the mesh's
     * and the application did not replace the mesh's factory with another kind.
     */
    private static boolean madeByTheMeshBuilder(ClientHttpRequestFactory factory,
        ObjectProvider<ClientHttpRequestFactoryBuilder<?>> builders) {
      return factory instanceof OkHttpClientHttpRequestFactory
          && builders.getIfUnique() instanceof OkHttpClientHttpRequestFactoryBuilder;
    }
  }
}
