package io.torsion;

/**
 * A source of data that writes one piece each time it is asked: Twisted's {@code IPullProducer}.
 * Register it with {@link DataConsumer#registerProducer(PullProducer)}; the consumer calls {@link
 * #resumeProducing()} whenever its buffer has room, so a slow reader slows the producer down and
 * memory stays flat.
 *
 * <pre>{@code
 * final class FileSender implements PullProducer {
 *     public void resumeProducing() {
 *         ByteBuffer chunk = nextChunk();                 // null at the end
 *         if (chunk == null) { transport.unregisterProducer(); transport.loseConnection(); }
 *         else transport.write(chunk);
 *     }
 *     public void stopProducing() { close(); }
 * }
 * }</pre>
 */
public interface PullProducer {
  /** Produces one piece of data (writes it to the consumer), or unregisters when done. */
  void resumeProducing();

  /** Stops for good: the consumer is gone (for a transport, the connection was lost). */
  void stopProducing();
}
