package dev.inboard.mesh.resilience;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/** One unit of a circuit breaker resource in use. Release it exactly when the work ends; releasing twice is a no-op. */
public final class Permit implements Admission {
  private static final AtomicIntegerFieldUpdater<Permit> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(Permit.class, "released");

  private final AtomicLong counter;
  private volatile int released;

  Permit(AtomicLong counter) {
    this.counter = counter;
  }

  public void release() {
    if (RELEASED.compareAndSet(this, 0, 1)) {
      counter.decrementAndGet();
    }
  }
}
