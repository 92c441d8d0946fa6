package dev.inboard.bookinfo.details;

import dev.inboard.bookinfo.common.BookinfoApplications;
import dev.inboard.bookinfo.common.PodEnvironment;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** Bookinfo's details service: the book's publication details. */
@SpringBootApplication
@Import(PodEnvironment.class)
public class DetailsApplication {
  /** Starts details with {@code args} as command-line properties. */
  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(DetailsApplication.class, "details", Map.of(), args);
  }
}
