package io.torsion;

/** The peer actively refused the connection: nothing listens on that address and port. */
public final class ConnectionRefusedError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /** Creates the error naming the refused destination. */
  public ConnectionRefusedError(String message, Throwable cause) {
    super(message, cause);
  }
}
