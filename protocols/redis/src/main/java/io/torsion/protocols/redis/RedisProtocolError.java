package io.torsion.protocols.redis;

/**
 * The server sent bytes that are not RESP, or a reply over the client's limits ({@link
 * RedisOptions#maxBulkBytes()}, {@link RedisOptions#maxElements()}): the connection is dropped and
 * the commands waiting on it fail with this error; the client reconnects.
 */
public final class RedisProtocolError extends RedisConnectionError {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message says what was wrong. */
  public RedisProtocolError(String message) {
    super(message);
  }
}
