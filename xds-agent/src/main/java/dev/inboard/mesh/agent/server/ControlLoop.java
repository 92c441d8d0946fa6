package dev.inboard.mesh.agent.server;

import io.grpc.SynchronizationContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place control-plane state changes: tasks run one at a time, in submission order, on the configured
 * executor (a dedicated daemon thread by default).
 */
final class ControlLoop implements Executor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

  private final Executor executor;
  private final @Nullable ExecutorService owned;
  private final SynchronizationContext context = new SynchronizationContext(
      (thread, e) -> log.error("control-plane task failed", e));

  ControlLoop(@Nullable Executor executor) {
    if (executor == null) {
      owned = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inboard-control-plane");
        t.setDaemon(true);
        return t;
      });
      this.executor = owned;
    } else {
      owned = null;
      this.executor = executor;
    }
  }

  @Override
  public void execute(Runnable task) {
    context.executeLater(task);
    try {
      executor.execute(context::drain);
    } catch (RejectedExecutionException e) {
      log.debug("control loop closed; dropped a task");
    }
  }

  /** Runs {@code task} on the loop and waits for its result; exceptions propagate unwrapped. */
  <T> T call(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(() -> {
      try {
        result.complete(task.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
    }
  }
}
