package dev.inboard.mesh.spring;

import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.ssl.SslBundle;

/**
 * Spring Boot's {@link ClientHttpRequestFactoryBuilder} for {@link OkHttpClientHttpRequestFactory}: each factory goes
 * through a client derived from the given one ({@link OkHttpClient#newBuilder()}, so the mesh's interceptor, pool and
 * dispatcher are kept) with the settings' connect and read timeouts, redirect policy and SSL bundle. As the context's
 * builder it is what Boot's {@code RestClient.Builder} and {@code RestTemplateBuilder} build their factories with, so
 * {@code spring.http.clients.*} and {@code RestTemplateBuilder.connectTimeout/readTimeout} apply to mesh calls.
 *
 * <p>Redirects: {@link HttpRedirects#FOLLOW_WHEN_POSSIBLE} or none (Boot's default) keeps the client's own policy (the
 * mesh's client does not follow: OkHttp would follow a mesh service's redirect outside the mesh); {@code FOLLOW} and
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
    OkHttpClient derived = client;
    HttpRedirects redirects = settings.redirects();
    boolean ownRedirects = redirects == null || redirects == HttpRedirects.FOLLOW_WHEN_POSSIBLE;
    if (!ownRedirects || settings.sslBundle() != null) {
      OkHttpClient.Builder b = client.newBuilder();
      if (redirects == HttpRedirects.FOLLOW) {
        b.followRedirects(true).followSslRedirects(true);
      } else if (redirects == HttpRedirects.DONT_FOLLOW) {
        b.followRedirects(false).followSslRedirects(false);
      }
      if (settings.sslBundle() != null) {
        applySsl(b, settings.sslBundle());
      }
      derived = b.build();
    }
    OkHttpClientHttpRequestFactory factory = new OkHttpClientHttpRequestFactory(derived);
    if (settings.connectTimeout() != null) {
      factory.setConnectTimeout(settings.connectTimeout());
    }
    if (settings.readTimeout() != null) {
      factory.setReadTimeout(settings.readTimeout());
    }
    return factory;
  }

  private static void applySsl(OkHttpClient.Builder b, SslBundle bundle) {
    X509TrustManager trust = Arrays.stream(bundle.getManagers().getTrustManagers())
        .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("The SSL bundle has no X.509 trust manager, which OkHttp needs; "
            + "give the bundle a truststore"));
    SSLContext context = bundle.createSslContext();
    b.sslSocketFactory(context.getSocketFactory(), trust);
  }
}
