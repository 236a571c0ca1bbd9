package io.torsion;

/** A {@link Deferred} was fired a second time; a Deferred fires exactly once. */
public final class AlreadyCalledError extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message says what the Deferred already holds. */
  public AlreadyCalledError(String message) {
    super(message);
  }
}
