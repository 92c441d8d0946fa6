package dev.inboard.bookinfo.reviews;

import dev.inboard.bookinfo.common.BookinfoApplications;
import dev.inboard.bookinfo.common.PodEnvironment;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Bookinfo's reviews service. Its version ({@code mesh.labels.version}) decides what it does, as the original's
 * images do: v1 shows no ratings, v2 black stars (ratings timeout 10 s), v3 red stars (2.5 s); see
 * {@link ReviewsSettings} for the properties that override that.
 */
@SpringBootApplication
@Import(PodEnvironment.class)
public class ReviewsApplication {
  /** Starts reviews with {@code args} as command-line properties. */
  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(ReviewsApplication.class, "reviews", Map.of(), args);
  }
}
