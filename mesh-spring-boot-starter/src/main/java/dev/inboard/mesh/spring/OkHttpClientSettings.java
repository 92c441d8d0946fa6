package dev.inboard.mesh.spring;

import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.ssl.SslBundle;

/**
 * Spring Boot's {@link HttpClientSettings} on an {@link OkHttpClient}: a client derived with
 * {@link OkHttpClient#newBuilder()} (interceptors, pool and dispatcher kept), or the client itself when the settings
 * change nothing. Redirects: {@link HttpRedirects#FOLLOW_WHEN_POSSIBLE} or none keeps the client's own policy (the
 * mesh's client does not follow: OkHttp would follow a mesh service's redirect outside the mesh).
 */
final class OkHttpClientSettings {
  private OkHttpClientSettings() {}

  /** {@code client} with the settings' redirect policy and SSL bundle (not the timeouts). */
  static OkHttpClient withRedirectsAndSsl(OkHttpClient client, HttpClientSettings settings) {
    HttpRedirects redirects = settings.redirects();
    boolean ownRedirects = redirects == null || redirects == HttpRedirects.FOLLOW_WHEN_POSSIBLE;
    SslBundle ssl = settings.sslBundle();
    if (ownRedirects && ssl == null) {
      return client;
    }
    OkHttpClient.Builder b = client.newBuilder();
    if (redirects == HttpRedirects.FOLLOW) {
      b.followRedirects(true).followSslRedirects(true);
    } else if (redirects == HttpRedirects.DONT_FOLLOW) {
      b.followRedirects(false).followSslRedirects(false);
    }
    if (ssl != null) {
      applySsl(b, ssl);
    }
    return b.build();
  }

  /** {@code client} with every setting: redirects, SSL bundle, connect and read timeouts. */
  static OkHttpClient withAll(OkHttpClient client, @Nullable HttpClientSettings settings) {
    if (settings == null) {
      return client;
    }
    OkHttpClient derived = withRedirectsAndSsl(client, settings);
    if (settings.connectTimeout() == null && settings.readTimeout() == null) {
      return derived;
    }
    OkHttpClient.Builder b = derived.newBuilder();
    if (settings.connectTimeout() != null) {
      b.connectTimeout(settings.connectTimeout());
    }
    if (settings.readTimeout() != null) {
      b.readTimeout(settings.readTimeout());
    }
    return b.build();
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
