package io.torsion.protocols.redis;

import java.io.IOException;

/**
 * A command got no reply because of its connection: it was lost (or dropped after a protocol
 * violation or a reply timeout) after the command was sent, so the command may or may not have run
 * on the server; or too many commands were already waiting for a connection, or the client was
 * closed, so it was never sent.
 */
public class RedisConnectionError extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public RedisConnectionError(String message) {
    super(message);
  }

  /** Creates the error with its cause. */
  public RedisConnectionError(String message, Throwable cause) {
    super(message, cause);
  }
}
