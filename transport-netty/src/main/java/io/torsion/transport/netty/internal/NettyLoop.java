package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.torsion.spi.Poller;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The poller of one reactor loop: a Netty {@link ManualIoEventLoop}, driven by its owner thread.
 */
final class NettyLoop implements Poller {
  /** The loop the current thread drives. */
  private static final ThreadLocal<NettyLoop> CURRENT = new ThreadLocal<>();

  final ManualIoEventLoop io;
  // The Netty buffer behind the view a connection of this loop is lending now, and where the view
  // starts in it: kept per loop, not per connection (see NettySocket.channelRead).
  ByteBuf lentBuf;
  int lentStart;
  // Connections read (read bursts) and bytes read in this turn, and the size each read gets (see
  // FairReadSizes).
  int burstsThisTurn;
  long bytesThisTurn;
  int readSize = FairReadSizes.MAX;
  // The loop's own read buffer and a view of all of it, made once (see readBuffer).
  private ByteBuf readBuf;
  private ByteBuffer readView;

  NettyLoop(IoHandlerFactory factory) {
    this.io = new ManualIoEventLoop(null, null, factory);
  }

  /**
   * Returns the loop the calling thread drives, or null: how a socket finds its loop (every socket
   * event runs on it) without a field per socket.
   */
  static NettyLoop current() {
    return CURRENT.get();
  }

  @Override
  public void owned(Thread thread) {
    io.setOwningThread(thread);
    CURRENT.set(this);
    io.runNow(-1); // initialises the I/O handler on its thread; runs no queued task yet
  }

  /**
   * Runs the loop as a thread that releases Netty's thread-locals when it ends. Netty pools its
   * recycled objects (a queued write's entry, among others) only on such threads; on any other each
   * write made one that became garbage: 57 bytes per write, half of an echo ping-pong's allocation.
   */
  @Override
  public void drive(Runnable loop) {
    if (FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()) {
      loop.run(); // a Netty thread, or one that already made the promise
    } else {
      FastThreadLocalThread.runWithFastThreadLocal(loop);
    }
  }

  @Override
  public void execute(Runnable task) {
    io.execute(task);
  }

  /**
   * Wakes the loop by queueing an empty task. A bare {@code io.wakeup()} can be lost: Netty's I/O
   * handlers re-check only the task queue after announcing that they are about to block, so a
   * wakeup that lands between our own checks (a stop flag) and that announcement is swallowed and
   * the loop blocks for good. A queued task is always seen.
   */
  @Override
  public void wakeup() {
    try {
      io.execute(NOOP);
    } catch (RejectedExecutionException stopped) {
      // the loop is shutting down: nothing left to wake
    }
  }

  private static final Runnable NOOP = () -> {};

  @Override
  public void poll(long waitNanos) {
    readSize = FairReadSizes.sizeAfter(burstsThisTurn);
    burstsThisTurn = 0;
    bytesThisTurn = 0;
    io.run(waitNanos);
  }

  /**
   * Returns a buffer for one read of {@code size} bytes: the loop's own when nothing else holds it
   * (no write retained it, no io_uring read is waiting in it), a new one from {@code alloc}
   * otherwise. The loop's buffer has room for the largest read; a smaller one is placed at its end,
   * so that the read cannot take more than its share. A read into it allocates nothing, not even
   * the view a connection is lent ({@link #view}): before, every read made a buffer's view (57
   * bytes of garbage). Held by a write that waits, the loop's buffer is not replaced but waited
   * for: at most one connection per loop keeps more memory than its read was given.
   */
  ByteBuf readBuffer(ByteBufAllocator alloc, int size) {
    ByteBuf buf = readBuf;
    if (buf == null) {
      buf = readBuf = alloc.ioBuffer(FairReadSizes.MAX, FairReadSizes.MAX);
      // one view needs one piece of memory; without it every read gets a buffer of its own
      if (buf.nioBufferCount() == 1) {
        readView = buf.nioBuffer(0, buf.capacity());
      }
    }
    if (readView == null || buf.refCnt() != 1) {
      return alloc.ioBuffer(size);
    }
    int start = buf.capacity() - Math.min(size, buf.capacity());
    buf.setIndex(start, start);
    return buf.retain();
  }

  /**
   * Returns the readable bytes of {@code data}, a read's buffer of one piece of memory, as a view:
   * the loop's own view for its own buffer, a new one otherwise.
   */
  ByteBuffer view(ByteBuf data) {
    if (data != readBuf) {
      return data.nioBuffer();
    }
    readView.clear();
    return readView.position(data.readerIndex()).limit(data.writerIndex());
  }

  @Override
  public void destroy() {
    io.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
    while (!io.isTerminated()) {
      io.runNow();
    }
    if (readBuf != null) {
      readBuf.release(); // freed now, or by the last write that holds it
      readBuf = null;
      readView = null;
    }
    if (CURRENT.get() == this) {
      CURRENT.remove(); // the thread may outlive the reactor (the one that called run())
    }
  }
}
