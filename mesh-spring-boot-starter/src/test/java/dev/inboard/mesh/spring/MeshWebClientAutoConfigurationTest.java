package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import dev.inboard.mesh.okhttp.MeshOkHttp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/** Which WebClient beans the starter contributes, by classpath and property, and how they back off. */
class MeshWebClientAutoConfigurationTest {
  final MockWebServer backend = new MockWebServer();
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshHttpClientAutoConfiguration.class,
          MeshWebClientAutoConfiguration.class, WebClientAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
      .withPropertyValues("mesh.control-plane=" + MeshAutoConfigurationTest.NOWHERE);

  @BeforeEach
  void start() throws Exception {
    backend.start();
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test
  void webflux_connectorOverTheMeshClient_onEveryBuilderFromTheContext() throws Exception {
    backend.enqueue(new MockResponse.Builder().code(200).body("hello").build());
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ClientHttpConnector.class);
      OkHttpClient client = context.getBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class);
      assertThat(context.getBean(MeshWebClientAutoConfiguration.CONNECTOR, OkHttpClientHttpConnector.class).client())
          .isSameAs(client);
      assertThat(context.getBeansOfType(WebClientCustomizer.class)).containsKey("meshWebClientCustomizer");

      // Outside the mesh's routes the request passes through, still sent by the mesh's OkHttp client.
      String body = context.getBean(WebClient.Builder.class).build().get().uri(backend.url("/hi").uri())
          .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(5));
      assertThat(body).isEqualTo("hello");
      RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getHeaders().get("User-Agent")).startsWith("okhttp/");
    });
  }

  @Test
  void httpClientSettings_timeoutsOnTheMeshConnector_andTheMeshBuilderIsTheContexts() {
    runner.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class))
        .withPropertyValues("spring.http.clients.connect-timeout=700ms", "spring.http.clients.read-timeout=900ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          OkHttpClient meshClient = context.getBean(MeshHttpClientAutoConfiguration.CLIENT, OkHttpClient.class);
          OkHttpClient client = context.getBean(OkHttpClientHttpConnector.class).client();
          assertThat(client.connectTimeoutMillis()).isEqualTo(700);
          assertThat(client.readTimeoutMillis()).isEqualTo(900);
          assertThat(client.interceptors()).isEqualTo(meshClient.interceptors());
          assertThat(client.followRedirects()).isFalse();
          assertThat(context.getBean(ClientHttpConnectorBuilder.class))
              .isInstanceOfSatisfying(OkHttpClientHttpConnectorBuilder.class,
                  b -> assertThat(b.client()).isSameAs(meshClient));
        });
  }

  @Test
  void withoutBootHttpClientModule_plainConnector() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class, MeshHttpClientAutoConfiguration.class,
            MeshWebClientAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(Map.of()))
        .withPropertyValues("mesh.control-plane=" + MeshAutoConfigurationTest.NOWHERE)
        .withClassLoader(new FilteredClassLoader(ClientHttpConnectorBuilder.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(MeshWebClientAutoConfiguration.CONNECTOR_BUILDER);
          assertThat(context.getBean(OkHttpClientHttpConnector.class).client())
              .isSameAs(context.getBean(MeshHttpClientAutoConfiguration.CLIENT));
        });
  }

  @Test
  void propertyOff_noConnectorNorCustomizer() {
    runner.withPropertyValues("mesh.http-client.enabled=false").run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(MeshWebClientAutoConfiguration.CONNECTOR).doesNotHaveBean("meshWebClientCustomizer"));
  }

  @Test
  void withoutAdapter_noConnector() {
    runner.withClassLoader(new FilteredClassLoader(MeshOkHttp.class)).run(context -> assertThat(context)
        .hasNotFailed().doesNotHaveBean(MeshWebClientAutoConfiguration.CONNECTOR)
        .doesNotHaveBean("meshWebClientCustomizer"));
  }

  @Test
  void withoutWebClientModule_connectorButNoCustomizer() {
    runner.withClassLoader(new FilteredClassLoader(WebClientCustomizer.class)).run(context -> assertThat(context)
        .hasNotFailed().hasBean(MeshWebClientAutoConfiguration.CONNECTOR)
        .doesNotHaveBean("meshWebClientCustomizer"));
  }

  @Test
  void applicationsConnector_meshConnectorBacksOff_andBuildersGetTheApplications() {
    ClientHttpConnector own = new org.springframework.http.client.reactive.JdkClientHttpConnector();
    backend.enqueue(new MockResponse.Builder().code(200).body("direct").build());
    runner.withBean("ownConnector", ClientHttpConnector.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(MeshWebClientAutoConfiguration.CONNECTOR);
      assertThat(context.getBean(ClientHttpConnector.class)).isSameAs(own);
      String body = context.getBean(WebClient.Builder.class).build().get().uri(backend.url("/hi").uri())
          .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(5));
      assertThat(body).isEqualTo("direct");
      RecordedRequest received = backend.takeRequest(5, TimeUnit.SECONDS);
      assertThat(received).isNotNull();
      assertThat(received.getHeaders().get("User-Agent")).doesNotStartWith("okhttp/");
    });
  }

  @Test
  void customizerOfTheSameName_backsOff() {
    WebClientCustomizer own = builder -> { };
    runner.withBean("meshWebClientCustomizer", WebClientCustomizer.class, () -> own).run(context ->
        assertThat(context).hasNotFailed().getBean("meshWebClientCustomizer").isSameAs(own));
  }
}
