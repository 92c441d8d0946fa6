package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.clock.MeshClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Polls a directory of YAML on the clock and reports when its content changed: the files' names and bytes are
 * fingerprinted, so an edit, a new file and a removed file all count, and touching a file without changing it
 * does not.
 */
final class ConfigDirectoryWatcher implements AutoCloseable {
  private final Path dir;
  private final Duration interval;
  private final MeshClock clock;
  private final Executor loop;
  private final Runnable onChange;
  private String fingerprint;
  private volatile MeshClock.@Nullable Cancellable next;
  private volatile boolean closed;

  /** Starts polling; the directory's current content is the baseline. Call on the control loop. */
  ConfigDirectoryWatcher(Path dir, Duration interval, MeshClock clock, Executor loop, Runnable onChange) {
    this.dir = dir;
    this.interval = interval;
    this.clock = clock;
    this.loop = loop;
    this.onChange = onChange;
    this.fingerprint = fingerprint(dir);
    scheduleNext();
  }

  private void scheduleNext() {
    if (!closed) {
      next = clock.schedule(() -> loop.execute(this::poll), interval);
    }
  }

  private void poll() {
    if (closed) {
      return;
    }
    String now = fingerprint(dir);
    if (!now.equals(fingerprint)) {
      fingerprint = now;
      onChange.run();
    }
    scheduleNext();
  }

  /** A digest of the YAML files under {@code dir}: their relative paths and contents, in name order. */
  static String fingerprint(Path dir) {
    MessageDigest digest = sha256();
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
      for (Path file : files) {
        digest.update(dir.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        try {
          digest.update(Files.readAllBytes(file));
        } catch (IOException e) {
          digest.update(("unreadable: " + e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        digest.update((byte) 0);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return "unlistable: " + e.getMessage();
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    MeshClock.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }
}
