package dev.inboard.bookinfo.ratings;

import dev.inboard.bookinfo.common.BookinfoApplications;
import dev.inboard.bookinfo.common.PodEnvironment;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Bookinfo's ratings service (v1: ratings in memory): HTTP on {@code server.port} and the same data over gRPC on
 * {@code bookinfo.ratings.grpc-port} (default 9070), both on {@code server.address}. Versions {@code v-faulty},
 * {@code v-delayed}, {@code v-unavailable} and {@code v-unhealthy} fail as the original's images do
 * ({@link RatingsVariant}).
 */
@SpringBootApplication
@Import(PodEnvironment.class)
public class RatingsApplication {
  /** The faults of the original's ratings images, by version. */
  @Bean
  RatingsVariant ratingsVariant(@Value("${mesh.labels.version:v1}") String version) {
    return new RatingsVariant(version, Clock.systemUTC(), RandomGenerator.getDefault());
  }

  /** Starts ratings with {@code args} as command-line properties. */
  public static ConfigurableApplicationContext run(String[] args) {
    return BookinfoApplications.run(RatingsApplication.class, "ratings",
        Map.of("bookinfo.ratings.grpc-port", "9070", "mesh.ports.grpc", "${bookinfo.ratings.grpc-port}"), args);
  }
}
