package dev.inboard.bookinfo.productpage;

import static dev.inboard.bookinfo.testing.Bookinfo.PRODUCTPAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboard.bookinfo.Http;
import dev.inboard.bookinfo.testing.Bookinfo;
import dev.inboard.bookinfo.testing.BookinfoMesh;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * productpage's page and API with details, reviews and ratings behind it, routed by Istio's own VirtualServices
 * from {@code samples/bookinfo/networking}.
 */
@ExtendWith(Bookinfo.class)
class ProductPageMeshTest {
  static final Duration CONVERGED = Duration.ofSeconds(20);
  static final String FULL_STAR = "<svg id=\"glyphicon glyphicon-star\"";
  static final String EMPTY_STAR = "<svg xmlns=\"http://www.w3.org/2000/svg\" fill=\"none\" viewBox=\"0 0 24 24\"";
  static final String DETAILS_ERROR = "Sorry, product details are currently unavailable for this book.";
  static final String REVIEWS_ERROR = "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_UNAVAILABLE = "<p class=\"text-red-500\">Ratings service is currently unavailable</p>";

  final BookinfoMesh mesh;
  final String base;

  ProductPageMeshTest(BookinfoMesh mesh) {
    this.mesh = mesh;
    this.base = mesh.base(PRODUCTPAGE);
  }

  @BeforeEach
  void allV1() {
    mesh.applySample("virtual-service-all-v1.yaml");
    awaitPage(Map.of(), page -> page.contains("reviews-v1") && page.contains("Book Details"));
  }

  String awaitPage(Map<String, String> headers, java.util.function.Predicate<String> converged) {
    String[] last = {""};
    await().atMost(CONVERGED).until(() -> {
      last[0] = Http.get(base + "/productpage", headers).body();
      return converged.test(last[0]);
    });
    return last[0];
  }

  static int count(String page, String what) {
    return page.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }

  @Test
  void allV1_noStars() {
    String page = Http.get(base + "/productpage").body();
    assertThat(page).contains("<h1 class=\"text-5xl font-bold tracking-tight text-blue-900\">The Comedy of Errors</h1>",
        "<b>William Shakespeare's</b> early plays", "<h4 class=\"text-3xl font-semibold\">Book Details</h4>",
        "<td class=\"whitespace-nowrap py-2 pl-4 pr-3 text-sm text-gray-500 sm:pl-0\">1234567890</td>",
        "<td class=\"whitespace-nowrap px-2 py-2 text-sm font-medium text-gray-900\">PublisherA</td>",
        "<h4 class=\"text-3xl font-semibold\">Book Reviews</h4>",
        "<p>\"An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!\"</p>",
        "Reviews served by:", "reviews-v1", "id=\"sign-in-button\"", "name=\"username\"", "name=\"passwd\"",
        "action='login'", "href=\"static/bookinfo.css\"");
    assertThat(page).doesNotContain(FULL_STAR, EMPTY_STAR, "Ratings service", "on cluster", "Error fetching",
        "https://cdn", "<script src");
  }

  @Test
  void reviewsV3_redStars_fiveAndFour() {
    mesh.applySample("virtual-service-reviews-v3.yaml");
    String page = awaitPage(Map.of(), p -> p.contains("reviews-v3"));
    assertThat(count(page, "<div class=\"flex gap-x-1 text-red-500\">")).isEqualTo(2);
    assertThat(count(page, FULL_STAR)).isEqualTo(9);
    assertThat(count(page, EMPTY_STAR)).isEqualTo(1);
    assertThat(page).doesNotContain("text-black-500");
  }

  @Test
  void jason_getsReviewsV2_blackStars_othersV1() {
    mesh.applySample("virtual-service-reviews-test-v2.yaml");
    Http.Answer login = Http.post(base + "/login", "application/x-www-form-urlencoded",
        "username=jason&passwd=anything", Map.of("Referer", base + "/productpage"));
    assertThat(login.status()).isEqualTo(302);
    assertThat(login.headers().get("location")).isEqualTo(base + "/productpage");
    String cookie = login.headers().get("set-cookie").split(";")[0];
    assertThat(cookie).startsWith("session=");

    String page = awaitPage(Map.of("cookie", cookie), p -> p.contains("reviews-v2"));
    assertThat(count(page, "<div class=\"flex gap-x-1 text-black-500\">")).isEqualTo(2);
    assertThat(count(page, FULL_STAR)).isEqualTo(9);
    assertThat(page).contains("<p class=\"text-base font-medium text-gray-50\">jason</p>", ">Sign out</a>")
        .doesNotContain("id=\"sign-in-button\"");
    assertThat(Http.get(base + "/productpage").body()).contains("reviews-v1").doesNotContain(FULL_STAR);

    Http.Answer logout = Http.get(base + "/logout", Map.of("cookie", cookie, "Referer", base + "/productpage"));
    assertThat(logout.status()).isEqualTo(302);
    assertThat(logout.headers().get("location")).isEqualTo(base + "/productpage");
    String after = Http.get(base + "/productpage", Map.of("cookie", cookie)).body();
    assertThat(after).contains("reviews-v1", "id=\"sign-in-button\"").doesNotContain(FULL_STAR, "jason");
  }

  @Test
  void ratingsAbortedForJason_ratingsServiceUnavailableUnderEachReview() {
    mesh.applySample("virtual-service-reviews-test-v2.yaml");
    mesh.applySample("virtual-service-ratings-test-abort.yaml");
    String cookie = Http.post(base + "/login", "application/x-www-form-urlencoded", "username=jason",
        Map.of("Referer", base + "/")).headers().get("set-cookie").split(";")[0];
    String page = awaitPage(Map.of("cookie", cookie),
        p -> p.contains("reviews-v2") && p.contains("Ratings service is currently unavailable"));
    assertThat(count(page, RATINGS_UNAVAILABLE)).isEqualTo(2);
    assertThat(page).doesNotContain(FULL_STAR, EMPTY_STAR);
  }

  @Test
  void detailsAborted555_errorFetchingProductDetails_andTheApiAnswers555() {
    mesh.applySample("fault-injection-details-v1.yaml");
    String page = awaitPage(Map.of(), p -> p.contains("Error fetching product details"));
    assertThat(page).contains("<p class=\"text-2xl text-red-500\">Error fetching product details</p>",
        "<p class=\"text-lg text-gray-600\">" + DETAILS_ERROR + "</p>", "Book Reviews")
        .doesNotContain("Book Details");
    Http.Answer api = Http.get(base + "/api/v1/products/0");
    assertThat(api.status()).isEqualTo(555);
    assertThat(api.body()).isEqualTo("{\"error\": \"" + DETAILS_ERROR + "\"}");
  }

  @Test
  void detailsV2HasNoWorkload_theMeshCannotDeliver_pageShowsTheError_apiAnswersTheSidecarsStatus() {
    mesh.applySample("virtual-service-details-v2.yaml");
    String page = awaitPage(Map.of(), p -> p.contains("Error fetching product details"));
    assertThat(page).contains("<p class=\"text-lg text-gray-600\">" + DETAILS_ERROR + "</p>", "Book Reviews")
        .doesNotContain("Exception", "at dev.inboard", "MeshException");
    Http.Answer api = Http.get(base + "/api/v1/products/0");
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.body()).isEqualTo("{\"error\": \"" + DETAILS_ERROR + "\"}");
  }

  @Test
  void reviewsAborted_errorFetchingProductReviews_countedInMetrics() {
    mesh.apply("""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - fault:
              abort:
                percentage:
                  value: 100
                httpStatus: 503
            route:
            - destination:
                host: reviews
                subset: v1
        """);
    String page = awaitPage(Map.of(), p -> p.contains("Error fetching product reviews"));
    assertThat(page).contains("<p class=\"text-2xl text-red-500\">Error fetching product reviews</p>",
        "<p class=\"text-lg text-gray-600\">" + REVIEWS_ERROR + "</p>", "Book Details")
        .doesNotContain("Book Reviews", "Exception", "at dev.inboard");
    Http.Answer api = Http.get(base + "/api/v1/products/0/reviews");
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.body()).isEqualTo("{\"error\": \"" + REVIEWS_ERROR + "\"}");
    assertThat(Http.get(base + "/metrics").body())
        .contains("# TYPE request_result_total counter")
        .containsPattern("request_result_total\\{destination_app=\"reviews\",response_code=\"503\"} [1-9]")
        .containsPattern("request_result_total\\{destination_app=\"details\",response_code=\"200\"} [1-9]");
  }

  @Test
  void api_bodiesAsJsonDumpsWritesThem() {
    Http.Answer products = Http.get(base + "/api/v1/products");
    assertThat(products.status()).isEqualTo(200);
    assertThat(products.contentType()).startsWith("application/json");
    assertThat(products.body()).isEqualTo("[{\"id\": 0, \"title\": \"The Comedy of Errors\", \"descriptionHtml\": "
        + "\"<a href=\\\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\\\">Wikipedia Summary</a>: The Comedy of "
        + "Errors is one of <b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical "
        + "comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns "
        + "and word play.\"}]");
    assertThat(Http.get(base + "/api/v1/products/0").body()).isEqualTo("{\"id\": 0, \"author\": \"William "
        + "Shakespeare\", \"year\": 1595, \"type\": \"paperback\", \"pages\": 200, \"publisher\": \"PublisherA\", "
        + "\"language\": \"English\", \"ISBN-10\": \"1234567890\", \"ISBN-13\": \"123-1234567890\"}");
    assertThat(Http.get(base + "/api/v1/products/0/ratings").body())
        .isEqualTo("{\"id\": 0, \"ratings\": {\"Reviewer1\": 5, \"Reviewer2\": 4}}");
    assertThat(Http.get(base + "/api/v1/products/0/reviews").body()).startsWith("{\"id\": \"0\", \"podname\": "
        + "\"reviews-v1\", \"clustername\": \"null\", \"reviews\": [{\"reviewer\": \"Reviewer1\", \"text\": ");

    Http.Answer notNumeric = Http.get(base + "/api/v1/products/abc");
    assertThat(notNumeric.status()).isEqualTo(400);
    assertThat(notNumeric.body()).isEqualTo("{\"error\": \"" + DETAILS_ERROR + "\"}");
  }

  @Test
  void health_index_andStaticAssetsAreLocal() {
    Http.Answer health = Http.get(base + "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("Product page is healthy");
    for (String path : new String[] {"/", "/index.html"}) {
      assertThat(Http.get(base + path).body()).contains("Hello! This is a simple bookstore application",
          "<td>http://reviews:9080</td><td>reviews</td>", "<td>http://ratings:9080</td>",
          "href=\"/productpage?u=normal\"", "href=\"/productpage?u=test\"");
    }
    Http.Answer css = Http.get(base + "/static/bookinfo.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.body()).contains(".text-red-500", ".text-black-500");
    assertThat(Http.get(base + "/static/img/izzy.svg").status()).isEqualTo(200);
  }
}
