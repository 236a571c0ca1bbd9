package io.torsion;

import java.time.Duration;

/**
 * Schedules work for later: Twisted's {@code IReactorTime}. Implemented by every {@link Reactor}
 * and by the deterministic {@code io.torsion.testing.Clock}, so that time-based logic written
 * against this interface can be tested without sleeping.
 *
 * <pre>{@code
 * DelayedCall idle = time.callLater(Duration.ofSeconds(30), transport::loseConnection);
 * // on every read:
 * idle.reset(Duration.ofSeconds(30));
 * }</pre>
 */
public interface ReactorTime {
  /**
   * Schedules {@code task} to run once after {@code delay}. Calls due at the same time run in the
   * order they were scheduled; a call scheduled while due calls are running runs no earlier than
   * the next turn of the loop. Called on the reactor thread.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  DelayedCall callLater(Duration delay, Runnable task);

  /** Returns the current time of this clock in nanoseconds; only differences are meaningful. */
  long nanoTime();
}
