package io.torsion;

import java.util.concurrent.TimeoutException;

/**
 * A {@link Deferred} given a timeout with {@link Deferred#addTimeout} had no result in time: it was
 * cancelled, and the cancellation is reported as this error.
 */
public final class TimeoutError extends TimeoutException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message names the timeout. */
  public TimeoutError(String message) {
    super(message);
  }
}
