package io.torsion.testing;

import io.torsion.DelayedCall;
import io.torsion.ReactorTime;
import io.torsion.spi.TimerQueue;
import java.time.Duration;
import java.util.Objects;

/**
 * A deterministic {@link ReactorTime} for tests: Twisted's {@code task.Clock}. Time stands still
 * until {@link #advance} moves it, and then every call that became due runs, in order, on the
 * calling thread. It schedules with the same {@link TimerQueue} as the real reactors, so ordering
 * and {@link DelayedCall#reset} behave identically.
 *
 * <pre>{@code
 * Clock clock = new Clock();
 * IdleTimeout timeout = new IdleTimeout(clock, Duration.ofSeconds(30));
 * clock.advance(Duration.ofSeconds(29));
 * assertThat(timeout.fired()).isFalse();
 * clock.advance(Duration.ofSeconds(1));
 * assertThat(timeout.fired()).isTrue();
 * }</pre>
 *
 * <p>An exception thrown by a call propagates out of {@code advance}, so tests see it. Not
 * thread-safe.
 */
public final class Clock implements ReactorTime {
  private long now;
  private final TimerQueue calls = new TimerQueue(() -> now, Clock::rethrow);

  /** Creates a clock at time zero. */
  public Clock() {}

  @Override
  public DelayedCall callLater(Duration delay, Runnable task) {
    return calls.schedule(delay, task);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  /**
   * Moves time forward by {@code amount} and runs every call due by then, including calls that
   * those calls schedule within the new time.
   */
  public void advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("cannot move time backwards: " + amount);
    }
    now += amount.toNanos();
    while (calls.runDue(now) > 0) {
      // calls scheduled with no delay by the calls just run are due too
    }
  }

  /** Advances by each amount in turn, as Twisted's {@code Clock.pump}. */
  public void pump(Duration... amounts) {
    for (Duration amount : amounts) {
      advance(amount);
    }
  }

  /** Returns the number of calls scheduled and not yet run or cancelled. */
  public int pendingCalls() {
    return calls.size();
  }

  private static void rethrow(Throwable error) {
    if (error instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (error instanceof Error fatal) {
      throw fatal;
    }
    throw new IllegalStateException("a scheduled call threw", error);
  }

  @Override
  public String toString() {
    return "Clock[now=" + Duration.ofNanos(now) + ", pending=" + calls.size() + "]";
  }
}
