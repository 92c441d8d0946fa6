package dev.inboard.bookinfo.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) driven from the command line: the DOM after scripts ran, and a
 * screenshot. Each run gets a fresh profile directory and no background traffic.
 */
final class Chromium {
  private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");
  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /**
   * The installed browser.
   *
   * @throws IllegalStateException naming how to install it, when it is not installed
   */
  static Chromium installed() {
    String override = System.getenv("CHROMIUM");
    List<String> candidates = override == null ? CANDIDATES : List.of(override);
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return new Chromium(path);
      }
    }
    throw new IllegalStateException("Chromium is not installed (looked for " + candidates + "); the browser check "
        + "needs it: apt-get install -y --no-install-recommends chromium (or set CHROMIUM=/path/to/chrome)");
  }

  /** The DOM of {@code url} after the page loaded, serialised. */
  String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url));
  }

  /** Saves a screenshot of {@code url} at 1280x1000 to {@code file}. */
  void screenshot(String url, Path file) throws IOException, InterruptedException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    run(List.of("--screenshot=" + file.toAbsolutePath(), "--window-size=1280,1000", "--hide-scrollbars", url));
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      throw new IllegalStateException("Chromium wrote no screenshot to " + file);
    }
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("bookinfo-chromium-");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
          "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
          "--user-data-dir=" + profile));
      command.addAll(args);
      Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("Chromium did not finish within 60 s: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": "
            + Files.readString(stderr));
      }
      Files.deleteIfExists(stderr);
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      deleteRecursively(profile);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
