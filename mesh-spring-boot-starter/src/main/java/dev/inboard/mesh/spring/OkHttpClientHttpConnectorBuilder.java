package dev.inboard.mesh.spring;

import java.util.Objects;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;

/**
 * Spring Boot's {@link ClientHttpConnectorBuilder} for {@link OkHttpClientHttpConnector}: each connector goes through
 * a client derived from the given one ({@link OkHttpClient#newBuilder()}, so the mesh's interceptor, pool and
 * dispatcher are kept) with the settings' connect and read timeouts, redirect policy (as
 * {@link OkHttpClientHttpRequestFactoryBuilder}) and SSL bundle. As the context's builder it is what Boot makes
 * {@code WebClient} connectors with ({@code spring.http.clients.*}, {@code WebClientSsl}).
 */
public final class OkHttpClientHttpConnectorBuilder implements ClientHttpConnectorBuilder<OkHttpClientHttpConnector> {
  private final OkHttpClient client;

  public OkHttpClientHttpConnectorBuilder(OkHttpClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** The client the connectors derive theirs from. */
  public OkHttpClient client() {
    return client;
  }

  @Override
  public OkHttpClientHttpConnector build(@Nullable HttpClientSettings settings) {
    return new OkHttpClientHttpConnector(OkHttpClientSettings.withAll(client, settings));
  }
}
