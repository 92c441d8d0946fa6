package dev.inboard.mesh.spring;

import java.util.Objects;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;

/**
 * Spring Boot's {@link ClientHttpRequestFactoryBuilder} for {@link OkHttpClientHttpRequestFactory}: each factory goes
 * through a client derived from the given one ({@link OkHttpClient#newBuilder()}, so the mesh's interceptor, pool and
 * dispatcher are kept) with the settings' connect and read timeouts, redirect policy and SSL bundle. As the context's
 * builder it is what Boot's {@code RestClient.Builder} and {@code RestTemplateBuilder} build their factories with, so
 * {@code spring.http.clients.*} and {@code RestTemplateBuilder.connectTimeout/readTimeout} apply to mesh calls.
 *
 * <p>Redirects: {@code FOLLOW_WHEN_POSSIBLE} or none (Boot's default) keeps the client's own policy (the mesh's
 * client does not follow: OkHttp would follow a mesh service's redirect outside the mesh); {@code FOLLOW} and
 * {@code DONT_FOLLOW} set it.
 */
public final class OkHttpClientHttpRequestFactoryBuilder
    implements ClientHttpRequestFactoryBuilder<OkHttpClientHttpRequestFactory> {
  private final OkHttpClient client;

  public OkHttpClientHttpRequestFactoryBuilder(OkHttpClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The client the factories derive theirs from. */
  public OkHttpClient client() {
    return client;
  }

  @Override
  public OkHttpClientHttpRequestFactory build(@Nullable HttpClientSettings settings) {
    if (settings == null) {
      return new OkHttpClientHttpRequestFactory(client);
    }
    OkHttpClient derived = OkHttpClientSettings.withRedirectsAndSsl(client, settings);
    OkHttpClientHttpRequestFactory factory = new OkHttpClientHttpRequestFactory(derived);
    if (settings.connectTimeout() != null) {
      factory.setConnectTimeout(settings.connectTimeout());
    }
    if (settings.readTimeout() != null) {
      factory.setReadTimeout(settings.readTimeout());
    }
    return factory;
  }
}
