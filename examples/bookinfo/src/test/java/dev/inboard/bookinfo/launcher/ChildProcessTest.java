package dev.inboard.bookinfo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Child JVMs: tagged output, waiting for a line, and no process left behind however the parent ends. */
class ChildProcessTest {
  private static final String CLASSPATH = System.getProperty("java.class.path");
  private static final Path HERE = Path.of(".");

  /** A child that prints its pid, starts a grandchild JVM of itself (when asked), then waits to be stopped. */
  public static final class Chatter {
    public static void main(String[] args) throws Exception {
      System.out.println("pid " + ProcessHandle.current().pid());
      if (args.length > 0 && args[0].equals("spawn")) {
        ChildProcess grandchild = ChildProcess.startJava("grandchild", List.of(),
            System.getProperty("java.class.path"), Chatter.class.getName(), List.of(), HERE, System.out);
        grandchild.awaitLine(Pattern.compile("pid \\d+"), Duration.ofSeconds(30));
      }
      System.out.println("ready");
      Thread.currentThread().join();
    }
  }

  @Test
  void outputIsTaggedAndStopEndsTheChildAndItsDescendants() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ChildProcess child = ChildProcess.startJava("chatter", List.of(), CLASSPATH, Chatter.class.getName(),
        List.of("spawn"), HERE, out);
    child.awaitLine(Pattern.compile("^ready$"), Duration.ofSeconds(60));
    List<ProcessHandle> all = ProcessHandle.of(child.pid()).orElseThrow().descendants().toList();
    assertThat(all).as("the grandchild JVM").isNotEmpty();

    child.stop();

    assertThat(child.isAlive()).isFalse();
    await().atMost(Duration.ofSeconds(15)).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[chatter] pid " + child.pid(), "[chatter] ready",
        "[chatter] [grandchild] pid ");
  }

  @Test
  void aChildEndsWhenItsParentIsKilledOutright() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ChildProcess parent = ChildProcess.startJava("parent", List.of(), CLASSPATH, Chatter.class.getName(),
        List.of("spawn"), HERE, out);
    Matcher grandchildPid = parent.awaitLine(Pattern.compile("\\[grandchild\\] pid (\\d+)"), Duration.ofSeconds(60));
    ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(grandchildPid.group(1))).orElseThrow();

    ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly(); // kill -9: no shutdown hook runs

    await().atMost(Duration.ofSeconds(20)).until(() -> !grandchild.isAlive());
  }

  @Test
  void awaitLineNamesTheChildAndShowsItsLastLinesWhenItExitsFirst() throws Exception {
    ChildProcess child = ChildProcess.startJava("bad", List.of(), CLASSPATH, "no.such.Main", List.of(), HERE,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThatThrownBy(() -> child.awaitLine(Pattern.compile("never"), Duration.ofSeconds(60)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad exited")
        .hasMessageContaining("no.such.Main");
  }
}
