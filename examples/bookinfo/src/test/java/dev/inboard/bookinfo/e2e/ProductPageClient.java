package dev.inboard.bookinfo.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A reader of productpage over plain HTTP, with a browser's cookie jar so a login lasts. */
final class ProductPageClient {
  private final String base;
  private final HttpClient http;

  ProductPageClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** {@code POST /login username=USER}, as the sign-in form sends it; the session cookie is kept. */
  ProductPageClient login(String user) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Referer", base + "/productpage")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&passwd=password"))
        .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 302 && response.statusCode() != 200) {
      throw new IllegalStateException("login as " + user + " answered HTTP " + response.statusCode() + ": "
          + response.body());
    }
    return this;
  }

  /** {@code GET /productpage}. */
  ProductPage productPage() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/productpage")).timeout(Duration.ofSeconds(30))
        .GET().build();
    long start = System.nanoTime();
    HttpResponse<String> response = send(request);
    return new ProductPage(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
