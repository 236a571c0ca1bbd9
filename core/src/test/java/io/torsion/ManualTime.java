package io.torsion;

import io.torsion.spi.TimerQueue;
import java.time.Duration;

/** A manual clock for core's tests (torsion-testing's Clock depends on this module). */
final class ManualTime implements ReactorTime {
  long now;
  final TimerQueue queue =
      new TimerQueue(
          () -> now,
          error -> {
            throw new AssertionError(error);
          });

  @Override
  public DelayedCall callLater(Duration delay, Runnable task) {
    return queue.schedule(delay, task);
  }

  @Override
  public long nanoTime() {
    return now;
  }

  void advance(Duration amount) {
    now += amount.toNanos();
    queue.runDue(now);
  }
}
