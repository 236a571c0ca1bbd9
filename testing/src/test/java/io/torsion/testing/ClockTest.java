package io.torsion.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockTest {
  private final Clock clock = new Clock();
  private final List<String> ran = new ArrayList<>();

  @Test
  void nothingRunsUntilTimeIsAdvancedPastTheDueTime() {
    clock.callLater(Duration.ofSeconds(30), () -> ran.add("timeout"));
    clock.advance(Duration.ofSeconds(29));
    assertThat(ran).isEmpty();
    assertThat(clock.pendingCalls()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("timeout");
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void anIdleTimeoutResetOnEveryReadFiresOnlyAfterSilence() {
    DelayedCall idle = clock.callLater(Duration.ofSeconds(10), () -> ran.add("idle"));
    for (int read = 0; read < 5; read++) {
      clock.advance(Duration.ofSeconds(9));
      idle.reset(Duration.ofSeconds(10));
    }
    assertThat(ran).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(ran).containsExactly("idle");
  }

  @Test
  void callsScheduledByDueCallsRunInTheSameAdvanceWhenDue() {
    clock.callLater(
        Duration.ofSeconds(1),
        () -> {
          ran.add("first");
          clock.callLater(Duration.ZERO, () -> ran.add("chained"));
          clock.callLater(Duration.ofSeconds(5), () -> ran.add("later"));
        });
    clock.pump(Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(ran).containsExactly("first", "chained");
  }

  @Test
  void anExceptionFromACallReachesTheTest() {
    clock.callLater(
        Duration.ZERO,
        () -> {
          throw new IllegalStateException("boom");
        });
    assertThatThrownBy(() -> clock.advance(Duration.ZERO)).hasMessage("boom");
  }

  @Test
  void deferredTimeoutsAreTestableWithoutSleeping() {
    Deferred<String> slow = new Deferred<>();
    List<Throwable> failures = new ArrayList<>();
    slow.addTimeout(Duration.ofMinutes(5), clock)
        .addErrback(
            f -> {
              failures.add(f.value());
              return null;
            });
    clock.advance(Duration.ofMinutes(4));
    assertThat(failures).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).isInstanceOf(TimeoutError.class);
  }

  @Test
  void timeNeverGoesBackwards() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
