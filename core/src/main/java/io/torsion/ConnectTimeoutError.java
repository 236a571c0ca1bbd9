package io.torsion;

/** The connection attempt did not complete within its timeout. */
public final class ConnectTimeoutError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /** Creates the error naming the destination and the timeout that expired. */
  public ConnectTimeoutError(String message, Throwable cause) {
    super(message, cause);
  }
}
