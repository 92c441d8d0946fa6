package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Istio's "Request Routing" task on Bookinfo: all traffic to v1, then jason to reviews v2. */
@ExtendWith(SharedBookinfo.class)
class RequestRoutingIT {
  private static final int REQUESTS = 20;
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeEach
  void reset() {
    config.reset();
  }

  @Test
  void allV1MeansNoStarsEver() {
    config.apply("virtual-service-all-v1.yaml");
    ProductPageClient reader = SharedBookinfo.newUser();

    for (int i = 0; i < REQUESTS; i++) {
      ProductPage page = reader.productPage();
      assertThat(page.status()).as("request %d", i).isEqualTo(200);
      assertThat(page.reviewsVersion()).as("request %d: %s", i, page).isEqualTo("v1");
    }
  }

  @Test
  void jasonSeesBlackStarsOthersNone() {
    config.apply("virtual-service-all-v1.yaml");
    config.apply("virtual-service-reviews-test-v2.yaml");
    ProductPageClient jason = SharedBookinfo.newUser().login("jason");
    ProductPageClient anonymous = SharedBookinfo.newUser();
    ProductPageClient other = SharedBookinfo.newUser().login("alice");

    await().atMost(Duration.ofSeconds(10)).until(() -> jason.productPage().reviewsVersion().equals("v2"));
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(jason.productPage().reviewsVersion()).as("jason, request %d", i).isEqualTo("v2");
      assertThat(jason.productPage().starColors()).containsExactly("black");
      assertThat(anonymous.productPage().reviewsVersion()).as("not logged in, request %d", i).isEqualTo("v1");
      assertThat(other.productPage().reviewsVersion()).as("alice, request %d", i).isEqualTo("v1");
    }
  }
}
