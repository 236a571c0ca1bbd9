package io.torsion;

/**
 * The connection ended in a non-clean fashion: reset by the peer, an I/O error, an abort, or an
 * exception thrown by protocol code. {@link #getCause()} carries the underlying error when there is
 * one.
 */
public sealed class ConnectionLost extends ConnectionClosed permits ConnectionAborted {
  private static final long serialVersionUID = 1L;

  /** Creates a lost-connection reason with an explanation and the underlying error (or null). */
  public ConnectionLost(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isClean() {
    return false;
  }
}
