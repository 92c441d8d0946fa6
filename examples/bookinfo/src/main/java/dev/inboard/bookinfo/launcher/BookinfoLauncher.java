package dev.inboard.bookinfo.launcher;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code examples/bookinfo/run}: Bookinfo on the local control plane in one command. Options:
 * {@code --xds-port N} (15010), {@code --api-port N} (15014), {@code --first-ip N} (workloads on 127.0.0.N..N+5,
 * default 10), {@code --timeout SECONDS} (180). Ctrl-C stops every process.
 */
public final class BookinfoLauncher {
  private BookinfoLauncher() {}

  public static void main(String[] args) throws InterruptedException {
    int xdsPort = 15010;
    int apiPort = 15014;
    int firstIp = 10;
    int timeout = 180;
    try {
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("-h") || name.equals("--help")) {
          System.out.println("usage: run [--xds-port 15010] [--api-port 15014] [--first-ip 10] [--timeout 180]");
          return;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        int value = Integer.parseInt(args[++i]);
        switch (name) {
          case "--xds-port" -> xdsPort = value;
          case "--api-port" -> apiPort = value;
          case "--first-ip" -> firstIp = value;
          case "--timeout" -> timeout = value;
          default -> throw new IllegalArgumentException("unknown option " + name
              + "; options: --xds-port N --api-port N --first-ip N --timeout SECONDS");
        }
      }
    } catch (NumberFormatException e) {
      usage("option values are numbers: " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    }

    long started = System.nanoTime();
    BookinfoDeployment.Options options = new BookinfoDeployment.Options(BookinfoLayout.locate(), xdsPort, apiPort,
        firstIp, System.out);
    BookinfoDeployment bookinfo = BookinfoDeployment.create(options);
    Runtime.getRuntime().addShutdownHook(new Thread(bookinfo::close, "bookinfo-shutdown"));
    try {
      bookinfo.start(Duration.ofSeconds(timeout));
    } catch (IllegalStateException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("Bookinfo did not start: " + e.getMessage());
      System.err.println("If a port is taken (another Bookinfo or meshctl serve?), choose others with --xds-port N"
          + " --api-port N --first-ip N.");
      System.exit(1);
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String server = apiPort == 15014 ? "" : " --server " + bookinfo.controlApiAddress();
    System.out.printf(Locale.ROOT, "%n  Bookinfo is up (%.1f s): open %s%n", seconds, bookinfo.productpageUrl());
    System.out.printf("  Shift traffic:  bin/meshctl apply%s -f examples/bookinfo/networking/"
        + "virtual-service-reviews-50-v3.yaml%n", server);
    System.out.printf("  Inspect:        bin/meshctl proxy-status%s   |   Ctrl-C stops everything.%n%n", server);
    Thread.currentThread().join();
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println("usage: run [--xds-port 15010] [--api-port 15014] [--first-ip 10] [--timeout 180]");
    System.exit(2);
  }
}
