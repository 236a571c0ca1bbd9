package io.torsion.transport.netty.internal;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
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
 */
final class FairReadSizes extends DefaultMaxMessagesRecvByteBufAllocator {
  static final int MAX = 64 * 1024;
  private static final int READS_PER_EVENT = SocketEvents.MAX_BURST_BYTES / MAX;
  static final int MIN = 4 * 1024;
  static final int TURN_BYTES = 8 * 1024 * 1024;

  FairReadSizes() {
    super(READS_PER_EVENT);
  }

  /** Returns the read size for a turn after one that served {@code connections} connections. */
  static int sizeAfter(int connections) {
    if (connections <= TURN_BYTES / MAX) {
      return MAX;
    }
    return Math.max(MIN, TURN_BYTES / connections);
  }

  @Override
  @SuppressWarnings("deprecation") // Netty's own allocators still implement the deprecated Handle
  public Handle newHandle() {
    return new MaxMessageHandle() {
      @Override
      public int guess() {
        NettyLoop loop = NettyLoop.current(); // whose turn the read sizes follow
        return loop == null ? MAX : loop.readSize;
      }

      // The no-argument continueReading() delegates here, so this one override serves both.
      @Override
      public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        if (!super.continueReading(maybeMoreDataSupplier)) {
          return false;
        }
        NettyLoop loop = NettyLoop.current();
        return loop == null || loop.bytesThisTurn < TURN_BYTES;
      }
    };
  }
}
