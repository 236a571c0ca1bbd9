package io.torsion.protocols.websocket;

import java.io.IOException;

/**
 * A client's opening handshake failed: the server answered something other than a valid {@code 101}
 * (its status, if it answered at all, is {@link #status()}), or did not answer in time.
 */
public final class WebSocketHandshakeError extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** Creates the error; {@code status} is the server's, or 0 if it sent none. */
  public WebSocketHandshakeError(String message, int status) {
    super(message);
    this.status = status;
  }

  /** Returns the HTTP status the server answered, or 0 if it sent none. */
  public int status() {
    return status;
  }
}
