package dev.inboard.bookinfo.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM: {@code ExitWithParent MAIN_CLASS ARGS...} runs {@code MAIN_CLASS} and ends the JVM
 * when the process that started it ends, however it ended (even {@code kill -9}), so a launcher never leaves
 * orphans listening on Bookinfo's ports.
 */
public final class ExitWithParent {
  private ExitWithParent() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
      System.err.println("the launcher (pid " + parent.pid() + ") is gone; stopping");
      System.exit(143);
    }));
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
