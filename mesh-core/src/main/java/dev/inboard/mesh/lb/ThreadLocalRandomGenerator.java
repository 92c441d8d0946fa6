package dev.inboard.mesh.lb;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** The production random source: every call draws from the calling thread's {@link ThreadLocalRandom}. */
public final class ThreadLocalRandomGenerator implements RandomGenerator {
  public static final ThreadLocalRandomGenerator INSTANCE = new ThreadLocalRandomGenerator();

  private ThreadLocalRandomGenerator() {}

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public int nextInt(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }

  @Override
  public long nextLong(long bound) {
    return ThreadLocalRandom.current().nextLong(bound);
  }
}
