package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's "Request Timeouts" task on Bookinfo: reviews routed to v2, ratings delayed by 2 s, then a 0.5 s timeout on
 * the reviews route. The two VirtualServices are in {@code src/test/resources/tasks/request-timeouts/}, as the task
 * page gives them.
 */
@ExtendWith(SharedBookinfo.class)
class RequestTimeoutsIT {
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeEach
  void reset() {
    config.reset();
    config.apply("virtual-service-all-v1.yaml");
  }

  @Test
  void halfSecondTimeoutOnReviewsFailsFastDespiteTheRatingsDelay() {
    config.applyTask("request-timeouts/reviews-v2.yaml");
    config.applyTask("request-timeouts/ratings-delay-2s.yaml");
    ProductPageClient reader = SharedBookinfo.newUser();

    ProductPage delayed = reader.productPage();
    assertThat(delayed.reviewsVersion()).as("%s", delayed).isEqualTo("v2");
    assertThat(delayed.elapsed()).as("the 2 s ratings delay shows: %s", delayed)
        .isBetween(Duration.ofMillis(1800), Duration.ofSeconds(5));

    config.applyTask("request-timeouts/reviews-v2-timeout.yaml");
    for (int i = 0; i < 3; i++) {
      ProductPage page = reader.productPage();
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.html()).as("%s", page).contains(ProductPage.REVIEWS_UNAVAILABLE);
      // productpage tries reviews twice, each cut at 0.5 s by the route timeout: about 1 s, well under the 2 s delay
      assertThat(page.elapsed()).as("%s", page).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
    }
  }
}
