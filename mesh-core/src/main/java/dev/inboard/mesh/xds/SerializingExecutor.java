package dev.inboard.mesh.xds;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on whichever thread submits while no other thread is draining.
 * All control-plane state of the xDS client is touched only from tasks of one such executor, so it needs no locks.
 */
public final class SerializingExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(SerializingExecutor.class);

  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Thread> drainer = new AtomicReference<>();

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    drain();
  }

  private void drain() {
    do {
      if (!drainer.compareAndSet(null, Thread.currentThread())) {
        return;
      }
      try {
        Runnable task;
        while ((task = queue.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            log.error("xDS client task failed; continuing with the next one", e);
          }
        }
      } finally {
        drainer.set(null);
      }
    } while (!queue.isEmpty());
  }

  /** Whether the calling thread is the one running this executor's tasks right now. */
  public boolean inContext() {
    return drainer.get() == Thread.currentThread();
  }

  /** Fails fast when control-plane state is touched from outside this executor. */
  public void checkInContext() {
    if (drainer.get() != Thread.currentThread()) {
      throw new IllegalStateException("not called from the xDS client's serializing executor");
    }
  }
}
