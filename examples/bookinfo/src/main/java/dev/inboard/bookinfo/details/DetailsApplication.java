package dev.inboard.bookinfo.details;

import dev.inboard.bookinfo.common.BookinfoApplications;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Bookinfo's details service: the book's publication details. */
@SpringBootApplication
public class DetailsApplication {
  /** Starts details with {@code args} as command-line properties. */
  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(DetailsApplication.class, "details", Map.of(), args);
  }
}
