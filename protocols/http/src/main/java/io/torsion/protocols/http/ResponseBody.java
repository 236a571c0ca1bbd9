package io.torsion.protocols.http;

import io.torsion.DataConsumer;
import java.nio.ByteBuffer;

/**
 * Where a streamed response's body goes (see {@link HttpResponse#streamed}): write pieces, then
 * {@link #finish()}. The server frames the pieces (chunked, or within the declared length) and
 * sends the next pipelined response only after this one finishes.
 *
 * <p>A {@link DataConsumer}: register a {@link io.torsion.PullProducer} or {@link
 * io.torsion.PushProducer} and it is driven at the pace the client reads, so a large or slow
 * response keeps memory flat. A write after {@link #finish()} or {@link #abort} is refused; a write
 * after the client went away is dropped ({@link #isOpen()} tells). Used on the reactor thread.
 */
public interface ResponseBody extends DataConsumer {
  /** Writes {@code data}, framed as the response requires. */
  @Override
  void write(ByteBuffer data);

  /** Writes {@code data}. */
  default void write(byte[] data) {
    write(ByteBuffer.wrap(data));
  }

  /**
   * Ends the body (unregistering a producer still registered); the connection goes on with the next
   * request. A body shorter than a declared length cannot end well: the connection is aborted.
   */
  void finish();

  /**
   * Gives up on the body: the connection is aborted, so the client sees a truncated response, never
   * a complete-looking one. {@code reason} is logged.
   */
  void abort(String reason);

  /** Returns true until the body finished or was aborted, or the client went away. */
  boolean isOpen();
}
