package dev.inboard.bookinfo.productpage;

import static dev.inboard.bookinfo.testing.Bookinfo.PRODUCTPAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.bookinfo.Http;
import dev.inboard.bookinfo.testing.Bookinfo;
import dev.inboard.bookinfo.testing.BookinfoMesh;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's "fault injection" task: ratings delayed 7 s for jason ({@code virtual-service-ratings-test-delay.yaml}).
 * reviews v3 gives up on ratings after 2.5 s, so the page shows the ratings error; reviews v2 would wait 10 s, but
 * productpage gives up on reviews after two attempts of 3 s.
 */
@ExtendWith(Bookinfo.class)
class TimeoutsMeshTest {
  final BookinfoMesh mesh;
  final String base;
  String jason;

  TimeoutsMeshTest(BookinfoMesh mesh) {
    this.mesh = mesh;
    this.base = mesh.base(PRODUCTPAGE);
  }

  @BeforeEach
  void delayRatingsForJason() {
    mesh.applySample("virtual-service-all-v1.yaml");
    mesh.applySample("virtual-service-ratings-test-delay.yaml");
    jason = Http.post(base + "/login", "application/x-www-form-urlencoded", "username=jason",
        Map.of("Referer", base + "/")).headers().get("set-cookie").split(";")[0];
  }

  @Test
  void reviewsV3_givesUpOnRatingsAfter2_5s_pageShowsRatingsUnavailable() {
    mesh.apply(reviewsFor("jason", "v3"));
    long start = System.nanoTime();
    String page = awaitJasonPage(p -> p.contains("reviews-v3") && p.contains("Ratings service is currently"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(page).contains("<p class=\"text-red-500\">Ratings service is currently unavailable</p>")
        .doesNotContain("Error fetching product reviews");
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void reviewsV2_waitsLongerThanProductpage_pageShowsReviewsUnavailable_afterTwoAttempts() {
    mesh.apply(reviewsFor("jason", "v2"));
    String page = awaitJasonPage(p -> p.contains("Error fetching product reviews"));
    assertThat(page).contains("<p class=\"text-lg text-gray-600\">Sorry, product reviews are currently unavailable "
        + "for this book.</p>", "Book Details");

    long start = System.nanoTime();
    Http.get(base + "/productpage", Map.of("cookie", jason));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // Two attempts of 3 s each, not one (3 s) and not the 7 s delay or reviews' 10 s.
    assertThat(took).isBetween(Duration.ofMillis(5900), Duration.ofMillis(9500));
  }

  private String awaitJasonPage(java.util.function.Predicate<String> expected) {
    String[] last = {""};
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).pollDelay(Duration.ZERO).until(() -> {
      last[0] = Http.get(base + "/productpage", Map.of("cookie", jason)).body();
      return expected.test(last[0]);
    });
    return last[0];
  }

  static String reviewsFor(String user, String subset) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - match:
            - headers:
                end-user:
                  exact: %s
            route:
            - destination:
                host: reviews
                subset: %s
          - route:
            - destination:
                host: reviews
                subset: v1
        """.formatted(user, subset);
  }
}
