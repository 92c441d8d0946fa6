package dev.inboard.bookinfo.launcher;

import java.util.List;

/**
 * One Bookinfo workload: a service at a version, listening on {@code ip:9080} (its own loopback address, since
 * Bookinfo's Services target port 9080 on every endpoint).
 *
 * @param service {@code productpage}, {@code details}, {@code reviews} or {@code ratings}
 * @param version {@code v1}, {@code v2}, ...
 * @param ip its loopback address
 */
public record Workload(String service, String version, String ip) {
  /** The port every Bookinfo service listens on. */
  public static final int PORT = 9080;

  /** Bookinfo's six workloads on consecutive addresses from {@code 127.0.0.first}. */
  public static List<Workload> bookinfo(int first) {
    if (first < 1 || first + 5 > 254) {
      throw new IllegalArgumentException("the first address must leave room for six in 127.0.0.1-254, was " + first);
    }
    return List.of(
        new Workload("productpage", "v1", "127.0.0." + first),
        new Workload("details", "v1", "127.0.0." + (first + 1)),
        new Workload("ratings", "v1", "127.0.0." + (first + 2)),
        new Workload("reviews", "v1", "127.0.0." + (first + 3)),
        new Workload("reviews", "v2", "127.0.0." + (first + 4)),
        new Workload("reviews", "v3", "127.0.0." + (first + 5)));
  }

  /** {@code reviews-v2}: the tag of its output lines. */
  public String name() {
    return service + "-" + version;
  }

  /** Its pod name, {@code reviews-v2-local}; its proxy is {@code reviews-v2-local.default}. */
  public String podName() {
    return name() + "-local";
  }

  public String baseUrl() {
    return "http://" + ip + ":" + PORT;
  }
}
