package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.torsion.spi.SocketEvents;

/**
 * Reads that share each turn of a loop among its ready connections. A ready connection reads up to
 * {@code SocketEvents.MAX_BURST_BYTES / MAX} times, {@value #MAX} bytes at a time (Netty's own
 * stream channels make 16 reads; its allocators' no-argument constructors say 1, which sent each
 * read of an echo on its own), until the turn has read {@value #TURN_BYTES} bytes: from then on
 * each connection that comes up reads once. When the last turn served more connections than {@value
 * #TURN_BYTES} bytes allow at full size, each read gets {@code TURN_BYTES / connections} (at least
 * {@value #MIN}). A storm of thousands of connections flooding at once then costs each turn tens of
 * milliseconds, not seconds, so an ordinary connection among them is still answered quickly; a few
 * busy connections (streaming) keep full-size reads.
 *
 * <p>One per connection, and its own handle: {@link #newHandle} returns this object, so that a
 * connection holds one small object for its reads instead of Netty's usual two handles (the epoll
 * and io_uring channels make one only to check its type) and a supplier inside each. The state is
 * the one read loop's: counts reset by {@link #reset}, as Netty's handles are.
 */
@SuppressWarnings("deprecation") // Netty's channels still call the deprecated Handle's methods
final class FairReadSizes
    implements MaxMessagesRecvByteBufAllocator,
        RecvByteBufAllocator.ExtendedHandle,
        UncheckedBooleanSupplier {
  static final int MAX = 64 * 1024;
  private static final int READS_PER_EVENT = SocketEvents.MAX_BURST_BYTES / MAX;
  static final int MIN = 4 * 1024;
  static final int TURN_BYTES = 8 * 1024 * 1024;

  private ChannelConfig config;
  private int maxReads = READS_PER_EVENT;
  private int reads;
  private int bytesRead;
  private int attempted;
  private int last;

  /** Returns the read size for a turn after one that served {@code connections} connections. */
  static int sizeAfter(int connections) {
    if (connections <= TURN_BYTES / MAX) {
      return MAX;
    }
    return Math.max(MIN, TURN_BYTES / connections);
  }

  @Override
  public Handle newHandle() {
    return this;
  }

  @Override
  public int maxMessagesPerRead() {
    return maxReads;
  }

  @Override
  public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
    if (maxMessagesPerRead <= 0) {
      throw new IllegalArgumentException("maxMessagesPerRead: " + maxMessagesPerRead);
    }
    maxReads = maxMessagesPerRead;
    return this;
  }

  // ---------------------------------------------------------------- the handle

  @Override
  public ByteBuf allocate(ByteBufAllocator alloc) {
    NettyLoop loop = NettyLoop.current();
    return loop == null ? alloc.ioBuffer(MAX) : loop.readBuffer(alloc, loop.readSize);
  }

  @Override
  public int guess() {
    NettyLoop loop = NettyLoop.current(); // whose turn the read sizes follow
    return loop == null ? MAX : loop.readSize;
  }

  @Override
  public void reset(ChannelConfig config) {
    this.config = config;
    reads = 0;
    bytesRead = 0;
  }

  @Override
  public void incMessagesRead(int numMessages) {
    reads += numMessages;
  }

  @Override
  public void lastBytesRead(int bytes) {
    last = bytes;
    if (bytes > 0) {
      bytesRead += bytes;
    }
  }

  @Override
  public int lastBytesRead() {
    return last;
  }

  @Override
  public void attemptedBytesRead(int bytes) {
    attempted = bytes;
  }

  @Override
  public int attemptedBytesRead() {
    return attempted;
  }

  @Override
  public boolean continueReading() {
    return continueReading(this);
  }

  /**
   * Reads on while reading is on, the last read filled its buffer (there may be more), the event's
   * reads and the turn's bytes are not used up, and the loop read something.
   */
  @Override
  public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
    if (!config.isAutoRead() || !maybeMoreData.get() || reads >= maxReads || bytesRead <= 0) {
      return false;
    }
    NettyLoop loop = NettyLoop.current();
    return loop == null || loop.bytesThisTurn < TURN_BYTES;
  }

  /** Whether there may be more to read: the last read filled what it was given. */
  @Override
  public boolean get() {
    return attempted == last;
  }

  @Override
  public void readComplete() {}
}
