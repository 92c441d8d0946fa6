package dev.inboard.bookinfo.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM whose output (stdout and stderr merged) is copied line by line to {@code out} as {@code [tag] line},
 * with its last lines kept for error messages. {@link #stop()} ends it and every process it started.
 */
public final class ChildProcess implements AutoCloseable {
  private static final int TAIL_LINES = 40;
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final String tag;
  private final Process process;
  private final Deque<String> tail = new ArrayDeque<>();
  private final List<Watch> watches = new ArrayList<>();
  private volatile boolean stopping;
  private boolean ended;

  private record Watch(Pattern pattern, CompletableFuture<Matcher> found) {}

  private ChildProcess(String tag, Process process) {
    this.tag = tag;
    this.process = process;
  }

  /**
   * Starts {@code java [jvmOptions] -cp CLASSPATH ExitWithParent MAIN ARGS...} in {@code workDir}.
   *
   * @throws IOException when the JVM cannot be started
   */
  public static ChildProcess startJava(String tag, List<String> jvmOptions, String classpath, String mainClass,
      List<String> args, Path workDir, PrintStream out) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(ExitWithParent.class.getName());
    command.add(mainClass);
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    ChildProcess child = new ChildProcess(tag, process);
    Thread pump = new Thread(() -> child.pump(out), "output-" + tag);
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  public String tag() {
    return tag;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once it has ended. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** Its last lines of output, for error messages. */
  public String tail() {
    synchronized (tail) {
      return String.join(System.lineSeparator(), tail);
    }
  }

  /**
   * Waits for an output line matching {@code pattern} (lines already printed count).
   *
   * @throws IllegalStateException when the process ends first or nothing matches within {@code timeout}
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    CompletableFuture<Matcher> found = new CompletableFuture<>();
    synchronized (tail) {
      for (String line : tail) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (ended) {
        found.completeExceptionally(new IllegalStateException("exited"));
      }
      watches.add(new Watch(pattern, found));
    }
    try {
      return found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(tag + " exited (code " + exitCode().map(String::valueOf).orElse("?")
          + ") before printing /" + pattern + "/; its last lines:" + System.lineSeparator() + tail());
    } catch (TimeoutException e) {
      throw new IllegalStateException(tag + " printed no line matching /" + pattern + "/ within " + timeout
          + "; its last lines:" + System.lineSeparator() + tail());
    }
  }

  private void pump(PrintStream out) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.println("[" + tag + "] " + line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
          for (Watch w : watches) {
            Matcher m = w.pattern().matcher(line);
            if (m.find()) {
              w.found().complete(m);
            }
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process ends
    }
    try {
      int code = process.waitFor();
      if (!stopping) {
        out.println("[" + tag + "] exited with code " + code);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (tail) {
      ended = true;
      watches.forEach(w -> w.found().completeExceptionally(new IllegalStateException("exited")));
    }
  }

  /** Asks it and its descendants to stop (SIGTERM), then forces what is left after a grace period. */
  public void stop() {
    stopping = true;
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
