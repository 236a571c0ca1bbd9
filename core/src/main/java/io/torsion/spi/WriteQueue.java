package io.torsion.spi;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The output queue of a socket whose transport has none of its own: copies of what was written, in
 * order, counted against the watermarks. {@link #add} and {@link #sent} say when writability flips,
 * which the transport reports with {@link SocketEvents#writabilityChanged()}. Used on the socket's
 * thread.
 */
public final class WriteQueue {
  private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
  private final long lowWatermark;
  private final long highWatermark;
  private long bytes;
  private boolean writable = true;

  /**
   * Creates a queue that turns unwritable above {@code highWatermark} and writable below {@code
   * lowWatermark}.
   */
  public WriteQueue(long lowWatermark, long highWatermark) {
    this.lowWatermark = lowWatermark;
    this.highWatermark = highWatermark;
  }

  /**
   * Queues a copy of {@code data}'s remaining bytes; returns true if the queue just turned
   * unwritable.
   */
  public boolean add(ByteBuffer data) {
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data.duplicate()).flip();
    buffers.add(copy);
    bytes += copy.remaining();
    if (writable && bytes > highWatermark) {
      writable = false;
      return true;
    }
    return false;
  }

  /**
   * Returns up to {@code max} buffers from the head, to write (their positions move as they are
   * written).
   */
  public ByteBuffer[] head(int max) {
    return buffers.stream().limit(max).toArray(ByteBuffer[]::new);
  }

  /**
   * Counts {@code count} bytes of the head as sent and drops what is used up; returns true if the
   * queue just turned writable.
   */
  public boolean sent(long count) {
    bytes -= count;
    while (!buffers.isEmpty() && !buffers.peek().hasRemaining()) {
      buffers.poll();
    }
    if (!writable && bytes < lowWatermark) {
      writable = true;
      return true;
    }
    return false;
  }

  /**
   * Drops everything queued (a close); writability is left as it is, since nobody is told any more.
   */
  public void clear() {
    buffers.clear();
    bytes = 0;
  }

  /** Returns true when nothing is queued. */
  public boolean isEmpty() {
    return buffers.isEmpty();
  }

  /** Returns the bytes queued. */
  public long bytes() {
    return bytes;
  }

  /** Returns false from above the high watermark until below the low one. */
  public boolean writable() {
    return writable;
  }
}
