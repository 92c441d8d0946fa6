package dev.inboard.mesh.resilience;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/** One unit of a circuit breaker resource in use. Release it exactly when the work ends; releasing twice is a no-op. */
public final class Permit implements Admission {
  private static final AtomicIntegerFieldUpdater<Permit> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(Permit.class, "released");

  private static final Runnable NOTHING = () -> { };

  private final AtomicLong counter;
  private final Runnable afterRelease;
  private volatile int released;

  Permit(AtomicLong counter) {
    this(counter, NOTHING);
  }

  /** A permit that runs {@code afterRelease} once its unit is given back (to wake whoever waits for one). */
  Permit(AtomicLong counter, Runnable afterRelease) {
    this.counter = counter;
    this.afterRelease = afterRelease;
  }

  public void release() {
    if (RELEASED.compareAndSet(this, 0, 1)) {
      counter.decrementAndGet();
      afterRelease.run();
    }
  }
}
