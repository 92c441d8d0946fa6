package dev.inboard.bookinfo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.bookinfo.launcher.BookinfoDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's "Traffic Shifting" task on Bookinfo: all to v1, then 50 % to v3 (applied with meshctl, as from a second
 * terminal), then all to v3.
 */
@ExtendWith(SharedBookinfo.class)
class TrafficShiftingIT {
  /**
   * With p = 0.5 over 200 requests the v3 count has mean 100 and standard deviation sqrt(200 * 0.25) = 7.07; the
   * window 65..135 is +-4.95 sigma, so a correct 50/50 split fails it about once in 1.3 million runs, while a split
   * stuck at 80/20 (count 40 or 160) or 100/0 lands far outside it.
   */
  private static final int REQUESTS = 200;
  private static final int LOW = 65;
  private static final int HIGH = 135;
  private final MeshConfig config = SharedBookinfo.config();

  @BeforeEach
  void reset() {
    config.reset();
  }

  @Test
  void fiftyFiftyThenAllV3() {
    config.apply("virtual-service-all-v1.yaml");
    ProductPageClient reader = SharedBookinfo.newUser();
    assertThat(reader.productPage().reviewsVersion()).isEqualTo("v1");

    config.awaitPushed(() -> meshctl("apply", "virtual-service-reviews-50-v3.yaml"));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      counts.merge(reader.productPage().reviewsVersion(), 1, Integer::sum);
    }
    assertThat(counts.keySet()).as("versions seen: %s", counts).containsOnly("v1", "v3");
    assertThat(counts.get("v3")).as("v3 out of %d: %s", REQUESTS, counts).isBetween(LOW, HIGH);

    config.apply("virtual-service-reviews-v3.yaml");
    for (int i = 0; i < 20; i++) {
      ProductPage page = reader.productPage();
      assertThat(page.reviewsVersion()).as("request %d: %s", i, page).isEqualTo("v3");
      assertThat(page.starColors()).containsExactly("red");
    }
  }

  /**
   * {@code java -jar meshctl.jar VERB --server API -f networking/FILE -o json}, as {@code bin/meshctl} runs it;
   * returns what it printed.
   */
  private static String meshctl(String verb, String file) {
    BookinfoDeployment bookinfo = SharedBookinfo.deployment();
    Path home = dev.inboard.bookinfo.launcher.BookinfoLayout.locate().home();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", home.resolve("target/meshctl.jar").toString(), verb, "--server", bookinfo.controlApiAddress(),
        "-f", home.resolve("networking").resolve(file).toString(), "-o", "json"));
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("meshctl %s said: %s", verb, output).isZero();
      assertThat(output).contains("\"accepted\" : true");
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
