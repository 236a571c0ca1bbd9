package io.torsion.protocols.http;

import io.torsion.PushProducer;

/**
 * A body that arrives in pieces: a request body on the server ({@link RequestBody}) or a response
 * body on the client. Hand it a {@link BodyReceiver} and the pieces follow; it is a {@link
 * PushProducer}, so register it with a consumer that cannot keep up and reading from the socket
 * stops while that consumer is full: memory stays flat however large the body. Until a receiver is
 * set, nothing is read; {@link #stopProducing()} discards the rest. Used on the reactor thread.
 */
public interface BodyStream extends PushProducer {
  /** Returns the length the message declared, or -1 if it did not (chunked, or to the close). */
  long length();

  /**
   * Starts delivering the body to {@code receiver}: what has arrived at once, the rest as it comes.
   *
   * @throws IllegalStateException if a receiver was set already
   */
  void deliverTo(BodyReceiver receiver);
}
