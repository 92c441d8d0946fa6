package dev.inboard.mesh.spring;

import dev.inboard.mesh.Mesh;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
 * ({@code meshClientHttpRequestFactory}) and, with {@code spring-boot-restclient}, customizers that put that factory
 * on every {@link RestClient.Builder} and {@code RestTemplateBuilder} taken from the context. Off with
 * {@code mesh.http-client.enabled=false}; each bean backs off when the application defines one of the same name.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnClass({MeshOkHttp.class, OkHttpClient.class, ClientHttpRequestFactory.class})
@ConditionalOnProperty(prefix = "mesh.http-client", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(Mesh.class)
public class MeshHttpClientAutoConfiguration {
  static final String CLIENT = "meshOkHttpClient";
  static final String REQUEST_FACTORY = "meshClientHttpRequestFactory";

  @Bean(name = CLIENT)
  @ConditionalOnMissingBean(name = CLIENT)
  OkHttpClient meshOkHttpClient(Mesh mesh) {
    // Redirects answered by a mesh service are left to the caller: OkHttp would follow them outside the mesh.
    return MeshOkHttp.enable(new OkHttpClient.Builder().followRedirects(false), mesh).build();
  }

  @Bean(name = REQUEST_FACTORY)
  @ConditionalOnMissingBean(name = REQUEST_FACTORY)
  ClientHttpRequestFactory meshClientHttpRequestFactory(@Qualifier(CLIENT) OkHttpClient client) {
    return new OkHttpClientHttpRequestFactory(client);
  }

  /** Customizers for the builders of {@code spring-boot-restclient}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RestClientCustomizer.class, RestClient.class})
  static class RestClientCustomizers {
    @Bean
    @ConditionalOnMissingBean(name = "meshRestClientCustomizer")
    RestClientCustomizer meshRestClientCustomizer(@Qualifier(REQUEST_FACTORY) ClientHttpRequestFactory factory) {
      return builder -> builder.requestFactory(factory);
    }

    @Bean
    @ConditionalOnMissingBean(name = "meshRestTemplateCustomizer")
    @ConditionalOnClass(RestTemplate.class)
    RestTemplateCustomizer meshRestTemplateCustomizer(@Qualifier(REQUEST_FACTORY) ClientHttpRequestFactory factory) {
      return restTemplate -> restTemplate.setRequestFactory(factory);
    }
  }
}
