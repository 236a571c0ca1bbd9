package io.torsion.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.DelayedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
  private long now;
  private final List<Throwable> errors = new ArrayList<>();
  private final TimerQueue queue = new TimerQueue(() -> now, errors::add);
  private final List<String> ran = new ArrayList<>();

  private DelayedCall at(long millis, String name) {
    return queue.schedule(Duration.ofMillis(millis), () -> ran.add(name));
  }

  private void advanceTo(long millis) {
    now = Duration.ofMillis(millis).toNanos();
    queue.runDue(now);
  }

  @Test
  void runsDueCallsInTimeOrderAndTiesInScheduleOrder() {
    at(20, "late");
    at(10, "a");
    at(10, "b");
    at(0, "now");
    at(10, "c");
    advanceTo(15);
    assertThat(ran).containsExactly("now", "a", "b", "c");
    advanceTo(20);
    assertThat(ran).containsExactly("now", "a", "b", "c", "late");
    assertThat(queue.size()).isZero();
  }

  @Test
  void callsScheduledWhileRunningWaitForTheNextRun() {
    queue.schedule(
        Duration.ZERO,
        () -> {
          ran.add("first");
          queue.schedule(Duration.ZERO, () -> ran.add("second"));
        });
    queue.runDue(now);
    assertThat(ran).containsExactly("first");
    queue.runDue(now);
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void cancelRemovesAndResetMovesToTheBackOfItsNewTime() {
    DelayedCall cancelled = at(5, "cancelled");
    DelayedCall moved = at(5, "moved");
    at(10, "ten");
    cancelled.cancel();
    moved.reset(Duration.ofMillis(10));
    assertThat(moved.time()).isEqualTo(Duration.ofMillis(10).toNanos());
    advanceTo(10);
    assertThat(ran).containsExactly("ten", "moved");
    assertThat(cancelled.active()).isFalse();
    assertThat(moved.active()).isFalse();
  }

  @Test
  void delayPostpones() {
    DelayedCall call = at(5, "x");
    call.delay(Duration.ofMillis(10));
    advanceTo(14);
    assertThat(ran).isEmpty();
    advanceTo(15);
    assertThat(ran).containsExactly("x");
  }

  @Test
  void cancellingOrResettingACallThatRanOrWasCancelledIsAnError() {
    DelayedCall call = at(0, "x");
    advanceTo(0);
    assertThatThrownBy(call::cancel)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called");
    DelayedCall other = at(1, "y");
    other.cancel();
    assertThatThrownBy(() -> other.reset(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cancelled");
  }

  @Test
  void negativeDelaysAreRejected() {
    assertThatThrownBy(() -> at(-1, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void aThrowingCallIsReportedAndTheRestStillRun() {
    RuntimeException boom = new RuntimeException("boom");
    queue.schedule(
        Duration.ZERO,
        () -> {
          throw boom;
        });
    at(0, "after");
    advanceTo(0);
    assertThat(errors).containsExactly(boom);
    assertThat(ran).containsExactly("after");
  }

  @Test
  void keepsHeapOrderUnderRandomCancelsAndResets() {
    Random random = new Random(42);
    List<DelayedCall> calls = new ArrayList<>();
    List<Long> fired = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      long delay = random.nextInt(1000);
      DelayedCall[] self = new DelayedCall[1];
      self[0] = queue.schedule(Duration.ofMillis(delay), () -> fired.add(self[0].time()));
      calls.add(self[0]);
    }
    for (int i = 0; i < 3000; i++) {
      DelayedCall call = calls.get(random.nextInt(calls.size()));
      if (!call.active()) {
        continue;
      }
      if (random.nextBoolean()) {
        call.cancel();
      } else {
        call.reset(Duration.ofMillis(random.nextInt(1000)));
      }
    }
    long active = calls.stream().filter(DelayedCall::active).count();
    assertThat(queue.size()).isEqualTo((int) active);
    advanceTo(1000);
    assertThat(fired).hasSize((int) active).isSorted();
  }
}
