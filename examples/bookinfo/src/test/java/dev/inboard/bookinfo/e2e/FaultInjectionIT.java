package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's "Fault Injection" task on Bookinfo: with all traffic on v1 and jason on reviews v2, a 7 s delay on jason's
 * ratings calls, then an HTTP 500 abort.
 */
@ExtendWith(SharedBookinfo.class)
class FaultInjectionIT {
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeEach
  void reset() {
    config.reset();
    config.apply("virtual-service-all-v1.yaml");
    config.apply("virtual-service-reviews-test-v2.yaml");
  }

  /**
   * reviews v2 waits up to 10 s for ratings, so the 7 s delay holds its answer past productpage's 3 s timeout, which
   * productpage tries twice: jason gets the reviews error after about 6 s, everyone else is unaffected.
   */
  @Test
  void delayedRatingsMakeJasonsReviewsUnavailableAfterTwoTimeouts() {
    config.apply("virtual-service-ratings-test-delay.yaml");
    ProductPageClient jason = SharedBookinfo.newUser().login("jason");
    ProductPageClient anonymous = SharedBookinfo.newUser();

    for (int i = 0; i < 2; i++) {
      ProductPage page = jason.productPage();
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.html()).as("%s", page).contains(ProductPage.REVIEWS_UNAVAILABLE);
      assertThat(page.elapsed()).as("%s", page).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(9));

      ProductPage others = anonymous.productPage();
      assertThat(others.reviewsVersion()).as("%s", others).isEqualTo("v1");
      assertThat(others.elapsed()).as("%s", others).isLessThan(Duration.ofSeconds(3));
    }
  }

  /** ratings answers jason with 500: reviews v2 shows the ratings error under each review. */
  @Test
  void abortedRatingsShowJasonTheRatingsError() {
    config.apply("virtual-service-ratings-test-abort.yaml");
    ProductPageClient jason = SharedBookinfo.newUser().login("jason");
    ProductPageClient anonymous = SharedBookinfo.newUser();

    for (int i = 0; i < 10; i++) {
      ProductPage page = jason.productPage();
      assertThat(page.hasReviews()).as("%s", page).isTrue();
      assertThat(page.ratingsUnavailable()).as("%s", page).isTrue();
      assertThat(page.starColors()).as("%s", page).isEmpty();

      ProductPage others = anonymous.productPage();
      assertThat(others.reviewsVersion()).as("%s", others).isEqualTo("v1");
      assertThat(others.ratingsUnavailable()).isFalse();
    }
  }
}
