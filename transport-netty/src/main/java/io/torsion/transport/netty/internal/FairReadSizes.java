package io.torsion.transport.netty.internal;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Read sizes that share each turn of a loop among its ready connections. A connection reads up to
 * {@value #MAX} bytes at a time, but when the last turn made more reads than {@value #TURN_BYTES}
 * bytes allow at that size, each read gets {@code TURN_BYTES / reads} (at least {@value #MIN}), and
 * once a turn has read {@code TURN_BYTES} its remaining reads are {@value #MIN} bytes. A storm of
 * thousands of connections flooding at once then costs each turn tens of milliseconds, not seconds,
 * so an ordinary connection among them is still answered quickly; a few busy connections
 * (streaming) keep full-size reads.
 */
final class FairReadSizes extends DefaultMaxMessagesRecvByteBufAllocator {
  static final int MAX = 64 * 1024;
  static final int MIN = 4 * 1024;
  static final int TURN_BYTES = 8 * 1024 * 1024;

  /** Returns the read size for a turn after one that made {@code reads} reads. */
  static int sizeAfter(int reads) {
    if (reads <= TURN_BYTES / MAX) {
      return MAX;
    }
    return Math.max(MIN, TURN_BYTES / reads);
  }

  @Override
  @SuppressWarnings("deprecation") // Netty's own allocators still implement the deprecated Handle
  public Handle newHandle() {
    return new MaxMessageHandle() {
      @Override
      public int guess() {
        NettyLoop loop = NettyLoop.current(); // whose turn the read sizes follow
        if (loop == null) {
          return MAX;
        }
        // Within a turn too: once it has read its share, the rest of the turn reads small.
        return loop.bytesThisTurn >= TURN_BYTES ? MIN : loop.readSize;
      }
    };
  }
}
