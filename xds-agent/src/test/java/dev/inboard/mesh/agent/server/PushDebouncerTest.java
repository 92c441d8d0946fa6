package dev.inboard.mesh.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PushDebouncerTest {
  final FakeClock clock = new FakeClock();
  final AtomicInteger pushes = new AtomicInteger();
  final PushDebouncer debouncer = new PushDebouncer(clock, Duration.ofMillis(100), Duration.ofSeconds(1),
      Runnable::run, pushes::incrementAndGet);

  @Test
  void oneChange_pushesAfterTheQuietPeriod() {
    debouncer.request();
    clock.forward(Duration.ofMillis(99));
    assertThat(pushes).hasValue(0);
    clock.forward(Duration.ofMillis(1));
    assertThat(pushes).hasValue(1);
    clock.forward(Duration.ofSeconds(5));
    assertThat(pushes).hasValue(1);
  }

  @Test
  void burstOfChanges_isOnePush_100msAfterTheLast() {
    debouncer.request();
    clock.forward(Duration.ofMillis(60));
    debouncer.request();
    clock.forward(Duration.ofMillis(60));
    debouncer.request();
    assertThat(debouncer.pendingEvents()).isEqualTo(3);
    clock.forward(Duration.ofMillis(99));
    assertThat(pushes).hasValue(0);
    clock.forward(Duration.ofMillis(1));
    assertThat(pushes).hasValue(1);
    assertThat(debouncer.pendingEvents()).isZero();
  }

  @Test
  void changesThatNeverStop_arePushedAtTheMaximumDelay() {
    for (int i = 0; i < 15; i++) {
      debouncer.request();
      clock.forward(Duration.ofMillis(90));
    }
    assertThat(pushes).hasValue(1);
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(1350).toNanos());
  }

  @Test
  void afterClose_nothingIsPushed() {
    debouncer.request();
    debouncer.close();
    clock.forward(Duration.ofSeconds(1));
    assertThat(pushes).hasValue(0);
    assertThat(clock.pendingDelays()).isEmpty();
  }
}
