package dev.inboard.bookinfo.productpage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.bookinfo.Apps;
import dev.inboard.bookinfo.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** productpage without the mesh and without upstreams: every call fails, the page and API say so. */
class ProductPageAloneTest {
  static final Apps apps = new Apps();
  static String base;

  @BeforeAll
  static void start() {
    base = Apps.base(apps.startAlone(ProductPageApplication::run));
  }

  @AfterAll
  static void stop() {
    apps.close();
  }

  @Test
  void upstreamsUnreachable_pageShowsBothErrors_noStackTrace() {
    Http.Answer page = Http.get(base + "/productpage");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("The Comedy of Errors",
        "<p class=\"text-2xl text-red-500\">Error fetching product details</p>",
        "<p class=\"text-lg text-gray-600\">Sorry, product details are currently unavailable for this book.</p>",
        "<p class=\"text-2xl text-red-500\">Error fetching product reviews</p>",
        "<p class=\"text-lg text-gray-600\">Sorry, product reviews are currently unavailable for this book.</p>")
        .doesNotContain("Exception", "Book Details", "Book Reviews");
  }

  @Test
  void upstreamsUnreachable_apiAnswers500WithTheErrorJson() {
    Http.Answer ratings = Http.get(base + "/api/v1/products/0/ratings");
    assertThat(ratings.status()).isEqualTo(500);
    assertThat(ratings.contentType()).startsWith("application/json");
    assertThat(ratings.body())
        .isEqualTo("{\"error\": \"Sorry, product ratings are currently unavailable for this book.\"}");
    assertThat(Http.get(base + "/metrics").body())
        .contains("request_result_total{destination_app=\"ratings\",response_code=\"500\"} 1.0");
  }

  @Test
  void loginWithoutReferer_goesToTheProductPage() {
    Http.Answer login = Http.post(base + "/login", "application/x-www-form-urlencoded", "username=jason",
        java.util.Map.of());
    assertThat(login.status()).isEqualTo(302);
    assertThat(login.headers().get("location")).isEqualTo("/productpage");
  }
}
