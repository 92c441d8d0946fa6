package dev.inboard.bookinfo.e2e;

import dev.inboard.bookinfo.launcher.BookinfoDeployment;
import dev.inboard.bookinfo.launcher.BookinfoLayout;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Bookinfo deployment (seven real JVMs) for every end-to-end scenario in this test JVM, started by the first
 * class that needs it and stopped when the whole run ends. Workloads use 127.0.0.200-205 and the control plane free
 * ports, so a Bookinfo started with {@code examples/bookinfo/run} keeps running undisturbed.
 */
public final class SharedBookinfo implements BeforeAllCallback {
  static final int FIRST_IP = 200;
  private static BookinfoDeployment deployment;
  private static MeshConfig config;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start(context);
  }

  private static synchronized void start(ExtensionContext context) throws InterruptedException {
    if (deployment != null) {
      return;
    }
    BookinfoLayout layout = BookinfoLayout.locate();
    deployment = BookinfoDeployment.start(new BookinfoDeployment.Options(layout, 0, 0, FIRST_IP, System.out),
        Duration.ofMinutes(4));
    config = new MeshConfig(deployment.controlApi(), layout);
    // closed by JUnit (an AutoCloseable in the root store) when the whole run ends
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("bookinfo", deployment);
  }

  static synchronized BookinfoDeployment deployment() {
    if (deployment == null) {
      throw new IllegalStateException("annotate the test class with @ExtendWith(SharedBookinfo.class)");
    }
    return deployment;
  }

  static synchronized MeshConfig config() {
    deployment();
    return config;
  }

  /** The Bookinfo module directory. */
  static java.nio.file.Path layoutHome() {
    return BookinfoLayout.locate().home();
  }

  static ProductPageClient newUser() {
    return new ProductPageClient(deployment().productpage().baseUrl());
  }
}
