package dev.inboard.bookinfo.reviews;

import java.time.Duration;
import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * What a reviews instance does, from its properties:
 * <ul>
 *   <li>{@code bookinfo.reviews.enable-ratings}: whether it calls ratings; default true except for version v1;
 *   <li>{@code bookinfo.reviews.star-color}: the stars' color; default red for v3, else black;
 *   <li>{@code bookinfo.reviews.ratings-timeout}: how long it waits for ratings; default 10 s with black stars,
 *       2.5 s otherwise (the original ties the timeout to the color);
 *   <li>{@code bookinfo.reviews.ratings-protocol}: {@code http} (default, {@code GET http://ratings:9080/ratings/<id>})
 *       or {@code grpc} ({@code ratings:9070});
 *   <li>{@code bookinfo.pod-name} and {@code bookinfo.reviews.cluster-name} (default the {@code CLUSTER_NAME}
 *       environment variable, else the text {@code null}): the {@code podname} and {@code clustername} it answers.
 * </ul>
 *
 * @param version the {@code mesh.labels.version} label
 * @param ratingsEnabled whether ratings are fetched and shown
 * @param starColor the stars' color
 * @param ratingsTimeout how long a ratings call may take
 * @param protocol how ratings is called
 * @param podName the answer's {@code podname}
 * @param clusterName the answer's {@code clustername}
 */
public record ReviewsSettings(String version, boolean ratingsEnabled, String starColor, Duration ratingsTimeout,
    Protocol protocol, String podName, String clusterName) {

  /** How reviews calls ratings. */
  public enum Protocol { HTTP, GRPC }

  /** The settings {@code env} gives. */
  public static ReviewsSettings from(Environment env) {
    String version = env.getProperty("mesh.labels.version", "v1");
    boolean enabled = env.getProperty("bookinfo.reviews.enable-ratings", Boolean.class, !"v1".equals(version));
    String color = env.getProperty("bookinfo.reviews.star-color", "v3".equals(version) ? "red" : "black");
    Duration timeout = env.getProperty("bookinfo.reviews.ratings-timeout", Duration.class,
        "black".equals(color) ? Duration.ofSeconds(10) : Duration.ofMillis(2500));
    String protocol = env.getProperty("bookinfo.reviews.ratings-protocol", "http");
    Protocol p = switch (protocol.toLowerCase(Locale.ROOT)) {
      case "http" -> Protocol.HTTP;
      case "grpc" -> Protocol.GRPC;
      default -> throw new IllegalArgumentException("bookinfo.reviews.ratings-protocol '" + protocol
          + "' is not a protocol reviews speaks; use http or grpc");
    };
    String podName = env.getProperty("bookinfo.pod-name", "reviews-" + version);
    String clusterName = env.getProperty("bookinfo.reviews.cluster-name",
        env.getProperty("CLUSTER_NAME", "null"));
    return new ReviewsSettings(version, enabled, color, timeout, p, podName, clusterName);
  }
}
