package dev.inboard.bookinfo.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a built Bookinfo module keeps what the launcher starts: the services' classes and runtime classpath
 * ({@code target/classes}, {@code target/bookinfo.classpath}), meshctl's executable jar ({@code target/meshctl.jar})
 * and the Istio YAML ({@code platform/}, {@code networking/}). The build writes the classpath file, so children get
 * the real classpath whoever starts the launcher (the run script, or a test runner that hides its own classpath).
 *
 * @param home the module directory, {@code examples/bookinfo}
 */
public record BookinfoLayout(Path home) {
  /** System property naming the module directory; without it, the directory the launcher's classes came from. */
  public static final String HOME_PROPERTY = "bookinfo.home";

  public BookinfoLayout {
    home = home.toAbsolutePath().normalize();
  }

  /** The layout of the module this class was loaded from ({@code target/classes} or {@code target/*.jar}). */
  public static BookinfoLayout locate() {
    String property = System.getProperty(HOME_PROPERTY);
    if (property != null && !property.isBlank()) {
      return new BookinfoLayout(Path.of(property));
    }
    try {
      Path codeSource = Path.of(BookinfoLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new BookinfoLayout(codeSource.getParent().getParent());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot tell where examples/bookinfo is; set -D" + HOME_PROPERTY + "=DIR", e);
    }
  }

  public Path target() {
    return home.resolve("target");
  }

  /** Bookinfo's Kubernetes Services and ServiceAccounts, served by the control plane. */
  public Path platformDir() {
    return home.resolve("platform");
  }

  /** Istio's Bookinfo networking samples ({@code destination-rule-all.yaml}, the VirtualServices of the tasks). */
  public Path networkingDir() {
    return home.resolve("networking");
  }

  public Path networking(String file) {
    return networkingDir().resolve(file);
  }

  /** meshctl's executable jar. */
  public Path meshctlJar() {
    return requireBuilt(target().resolve("meshctl.jar"));
  }

  /** The classpath the services run with: the module's classes, then its runtime dependencies. */
  public String serviceClasspath() {
    Path file = requireBuilt(target().resolve("bookinfo.classpath"));
    List<String> entries = new ArrayList<>();
    entries.add(requireBuilt(target().resolve("classes")).toString());
    try {
      String content = Files.readString(file).trim();
      if (!content.isEmpty()) {
        entries.add(content);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The launcher's own classes, for the guard that ends a child with its parent. */
  public String launcherClasses() {
    return requireBuilt(target().resolve("classes")).toString();
  }

  private static Path requireBuilt(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " is missing: build Bookinfo first (examples/bookinfo/run does, or "
          + "./mvnw -B -q -pl examples/bookinfo -am package -DskipTests)");
    }
    return path;
  }
}
