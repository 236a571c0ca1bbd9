package io.torsion;

import java.util.concurrent.CancellationException;

/** A {@link Deferred} was cancelled before it had a result, and its canceller did not give one. */
public final class CancelledError extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message says what was cancelled. */
  public CancelledError(String message) {
    super(message);
  }
}
