package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * productpage in a real browser: with all reviews traffic on v3, headless Chromium renders the page with red stars.
 * The screenshot is kept as {@code target/e2e-artifacts/productpage-reviews-v3.png}.
 */
@ExtendWith(SharedBookinfo.class)
class ChromiumIT {
  static final Path SCREENSHOT = Path.of("target", "e2e-artifacts", "productpage-reviews-v3.png");
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeEach
  void reset() {
    config.reset();
  }

  @Test
  void chromiumShowsRedStarsWithReviewsV3() throws Exception {
    Chromium chromium = Chromium.installed();
    config.apply("virtual-service-all-v1.yaml");
    config.apply("virtual-service-reviews-v3.yaml");
    String url = SharedBookinfo.deployment().productpageUrl();

    ProductPage dom = new ProductPage(200, chromium.dumpDom(url), Duration.ZERO);
    assertThat(dom.hasReviews()).as("reviews in the DOM:%n%s", dom.html()).isTrue();
    assertThat(dom.starColors()).as("star colours in the DOM:%n%s", dom.html()).containsExactly("red");

    Path screenshot = SharedBookinfo.layoutHome().resolve(SCREENSHOT);
    chromium.screenshot(url, screenshot);
    assertThat(screenshot).isNotEmptyFile();
  }
}
