package io.torsion;

import java.io.IOException;

/**
 * Why a connection ended, as passed to {@link Protocol#connectionLost(ConnectionClosed)}.
 *
 * <p>Exactly two kinds exist: {@link ConnectionDone} for a clean close (either side closed the
 * connection after all data was delivered) and {@link ConnectionLost} for everything else (a reset,
 * an I/O error, an abort, an exception thrown by the protocol). Test with {@code instanceof}:
 *
 * <pre>{@code
 * public void connectionLost(ConnectionClosed reason) {
 *     if (reason instanceof ConnectionLost) {
 *         log.log(Level.WARNING, "lost " + transport().getPeer(), reason);
 *     }
 * }
 * }</pre>
 */
public abstract sealed class ConnectionClosed extends IOException
    permits ConnectionDone, ConnectionLost {
  private static final long serialVersionUID = 1L;

  ConnectionClosed(String message, Throwable cause) {
    super(message, cause);
  }

  /** Returns true when the connection was closed cleanly, with no data lost. */
  public abstract boolean isClean();
}
