package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/** Which HTTP client beans the starter contributes, by classpath and property, and how they back off. */
class MeshHttpClientAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshHttpClientAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
      .withPropertyValues("mesh.control-plane=" + MeshAutoConfigurationTest.NOWHERE);

  @Test
  void adapterOnClasspath_meshClientFactoryAndCustomizers() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(RestClientCustomizer.class)
          .hasSingleBean(RestTemplateCustomizer.class);
      OkHttpClient client = context.getBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class);
      assertThat(client.interceptors()).extracting(i -> i.getClass().getSimpleName()).containsExactly("MeshInterceptor");
      assertThat(client.followRedirects()).isFalse();

      ClientHttpRequestFactory factory =
          context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY, ClientHttpRequestFactory.class);
      assertThat(factory).isInstanceOfSatisfying(OkHttpClientHttpRequestFactory.class,
          okHttp -> assertThat(okHttp.client()).isSameAs(client));

      // Boot's builders make their factories with the mesh's builder; the customizers leave those alone.
      assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class))
          .isInstanceOfSatisfying(OkHttpClientHttpRequestFactoryBuilder.class,
              b -> assertThat(b.client()).isSameAs(client));
      SimpleClientHttpRequestFactory madeElsewhere = new SimpleClientHttpRequestFactory();
      RestTemplate restTemplate = new RestTemplate(madeElsewhere);
      context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
      assertThat(restTemplate.getRequestFactory()).isSameAs(madeElsewhere);
    });
  }

  @Test
  void httpClientSettings_timeoutsOnTheMeshFactory() {
    runner.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class))
        .withPropertyValues("spring.http.clients.connect-timeout=700ms", "spring.http.clients.read-timeout=900ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          OkHttpClient meshClient = context.getBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class);
          OkHttpClient client = context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY,
              OkHttpClientHttpRequestFactory.class).client();
          assertThat(client.connectTimeoutMillis()).isEqualTo(700);
          assertThat(client.readTimeoutMillis()).isEqualTo(900);
          assertThat(client.interceptors()).isEqualTo(meshClient.interceptors());
        });
  }

  @Test
  void applicationsFactoryBuilder_meshBuilderBacksOff_andCustomizersPutTheMeshFactory() {
    ClientHttpRequestFactoryBuilder<?> own = ClientHttpRequestFactoryBuilder.simple();
    runner.withBean("ownBuilder", ClientHttpRequestFactoryBuilder.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY_BUILDER);
      assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class)).isSameAs(own);
      RestTemplate restTemplate = new RestTemplate(new SimpleClientHttpRequestFactory());
      context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
      assertThat(restTemplate.getRequestFactory())
          .isSameAs(context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY));
    });
  }

  @Test
  void withoutBootHttpClientModule_plainFactory() {
    runner.withClassLoader(new FilteredClassLoader(ClientHttpRequestFactoryBuilder.class, RestClientCustomizer.class))
        .run(context -> {
          assertThat(context).hasNotFailed().hasBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
              .doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY_BUILDER);
          assertThat(context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY,
              OkHttpClientHttpRequestFactory.class).client())
              .isSameAs(context.getBean(MeshHttpClientAutoConfiguration.CLIENT));
        });
  }

  @Test
  void propertyOff_noBeans() {
    runner.withPropertyValues("mesh.http-client.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
        .doesNotHaveBean(MeshHttpClientAutoConfiguration.CLIENT)
        .doesNotHaveBean(RestClientCustomizer.class).doesNotHaveBean(RestTemplateCustomizer.class));
  }

  @Test
  void meshDisabled_noBeans() {
    runner.withPropertyValues("mesh.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
        .doesNotHaveBean(MeshHttpClientAutoConfiguration.CLIENT).doesNotHaveBean(RestClientCustomizer.class));
  }

  @Test
  void withoutAdapter_noBeans() {
    runner.withClassLoader(new FilteredClassLoader(MeshOkHttp.class)).run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
        .doesNotHaveBean(MeshHttpClientAutoConfiguration.CLIENT).doesNotHaveBean(RestClientCustomizer.class));
  }

  @Test
  void withoutOkHttp_noBeans() {
    runner.withClassLoader(new FilteredClassLoader(OkHttpClient.class)).run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
        .doesNotHaveBean(RestClientCustomizer.class));
  }

  @Test
  void withoutRestClientModule_factoryButNoCustomizers() {
    runner.withClassLoader(new FilteredClassLoader(RestClientCustomizer.class)).run(context -> assertThat(context)
        .hasNotFailed().hasBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)
        .hasBean(MeshHttpClientAutoConfiguration.CLIENT)
        .doesNotHaveBean("meshRestClientCustomizer").doesNotHaveBean("meshRestTemplateCustomizer"));
  }

  @Test
  void userFactory_backsOff_andCustomizersUseIt() {
    SimpleClientHttpRequestFactory own = new SimpleClientHttpRequestFactory();
    runner.withBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY, ClientHttpRequestFactory.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY)).isSameAs(own);
          RestTemplate restTemplate = new RestTemplate();
          context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
          assertThat(restTemplate.getRequestFactory()).isSameAs(own);
        });
  }

  @Test
  void userClient_backsOff_andTheFactoryUsesIt() {
    OkHttpClient own = new OkHttpClient();
    runner.withBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(MeshHttpClientAutoConfiguration.CLIENT)).isSameAs(own);
      assertThat(context.getBean(MeshHttpClientAutoConfiguration.REQUEST_FACTORY, OkHttpClientHttpRequestFactory.class)
          .client()).isSameAs(own);
    });
  }

  @Test
  void userCustomizerOfTheSameName_backsOff() {
    RestClientCustomizer own = builder -> { };
    runner.withBean("meshRestClientCustomizer", RestClientCustomizer.class, () -> own).run(context ->
        assertThat(context).hasNotFailed().getBean(RestClientCustomizer.class).isSameAs(own));
  }
}
