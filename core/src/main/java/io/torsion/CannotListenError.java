package io.torsion;

import java.io.IOException;

/**
 * A listening port could not be opened: the address is in use, not local, or not permitted. The
 * message names the host and port.
 */
public final class CannotListenError extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the error naming the address that could not be bound and why. */
  public CannotListenError(String message, Throwable cause) {
    super(message, cause);
  }
}
