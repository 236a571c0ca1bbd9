package io.torsion;

import java.nio.ByteBuffer;

/**
 * Something data can be written to, at the pace it can take it: Twisted's {@code IConsumer}. Every
 * {@link Transport} is one. A producer registered with it is paused when the consumer's buffer
 * rises above its high watermark and resumed when it falls below the low watermark (see {@link
 * ReactorOptions}), so streaming any amount of data to a slow reader keeps memory flat.
 *
 * <pre>{@code
 * transport.registerProducer(new FileSender(transport, path));   // a PullProducer
 * }</pre>
 *
 * <p>Called on the reactor thread.
 */
public interface DataConsumer {
  /** Queues the buffer's remaining bytes, and advances its position to its limit. */
  void write(ByteBuffer data);

  /**
   * Registers a producer that writes at its own pace: it is paused ({@link
   * PushProducer#pauseProducing()}) while the buffer is above the high watermark and resumed below
   * the low one, and stopped when the consumer goes away.
   *
   * @throws IllegalStateException if a producer is registered already
   */
  void registerProducer(PushProducer producer);

  /**
   * Registers a producer that writes one piece when asked: {@link PullProducer#resumeProducing()}
   * is called whenever the buffer is below the low watermark, until the producer unregisters.
   *
   * @throws IllegalStateException if a producer is registered already
   */
  void registerProducer(PullProducer producer);

  /** Unregisters the producer, if any; a {@code loseConnection()} waiting for it proceeds. */
  void unregisterProducer();
}
