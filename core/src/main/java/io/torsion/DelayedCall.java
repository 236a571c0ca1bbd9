package io.torsion;

import java.time.Duration;

/**
 * A call scheduled with {@link ReactorTime#callLater}: it can be cancelled, moved, or asked when it
 * will run. All methods are called on the reactor thread.
 */
public interface DelayedCall {
  /** Returns the time this call is due, on the scheduling clock's {@link ReactorTime#nanoTime}. */
  long time();

  /** Returns true while the call has neither run nor been cancelled. */
  boolean active();

  /**
   * Prevents the call from running.
   *
   * @throws IllegalStateException if it already ran or was cancelled
   */
  void cancel();

  /**
   * Reschedules the call to run {@code delay} from now, as if it had just been scheduled.
   *
   * @throws IllegalStateException if it already ran or was cancelled
   */
  void reset(Duration delay);

  /**
   * Postpones the call by {@code extra} (or brings it forward, when negative).
   *
   * @throws IllegalStateException if it already ran or was cancelled
   */
  void delay(Duration extra);
}
