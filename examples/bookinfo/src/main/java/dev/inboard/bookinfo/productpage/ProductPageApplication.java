package dev.inboard.bookinfo.productpage;

import dev.inboard.bookinfo.common.BookinfoApplications;
import dev.inboard.bookinfo.common.PodEnvironment;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Bookinfo's productpage: the book's page (details from details, reviews from reviews), sign-in, and the products
 * API. The signed-in user is kept in the HTTP session (cookie {@code session}).
 */
@SpringBootApplication
@Import(PodEnvironment.class)
public class ProductPageApplication {
  /** Starts productpage with {@code args} as command-line properties. */
  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(ProductPageApplication.class, "productpage",
        Map.of("server.servlet.session.cookie.name", "session",
            "spring.mvc.static-path-pattern", "/static/**",
            "spring.web.resources.static-locations", "classpath:/productpage-static/"), args);
  }
}
