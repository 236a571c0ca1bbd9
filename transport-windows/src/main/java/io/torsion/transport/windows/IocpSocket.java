package io.torsion.transport.windows;

import io.torsion.ReactorOptions;
import io.torsion.spi.Socket;
import io.torsion.spi.SocketEvents;
import io.torsion.spi.WriteQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.TimeUnit;

/**
 * A socket on an {@link AsynchronousSocketChannel}. At most one read and one write are under way at
 * a time; their completions run on the channel group's threads and only hop to this socket's loop,
 * where everything else happens. The read buffer adapts to the traffic (from {@value #MIN_READ}
 * bytes to {@value #MAX_READ}), so that idle connections hold little memory.
 */
final class IocpSocket implements Socket {
  static final int MIN_READ = 1024;
  static final int INITIAL_READ = 2048;
  static final int MAX_READ = 64 * 1024;
  private static final int MAX_GATHER = 64;

  private final IocpNetwork network;
  private final SocketEvents events;
  private final AsynchronousSocketChannel channel;
  private final SocketAddress peer;
  private final SocketAddress host;
  private final WriteQueue outbound;
  private IocpLoop loop;
  private ByteBuffer readBuffer = ByteBuffer.allocate(INITIAL_READ);
  private boolean reading = true;
  private boolean readPending;
  private boolean writePending;
  private boolean closeWhenFlushed;
  private boolean shutdownWhenFlushed;
  private boolean closing;
  private boolean finished;

  IocpSocket(
      IocpNetwork network,
      AsynchronousSocketChannel channel,
      SocketEvents events,
      ReactorOptions options)
      throws IOException {
    this.network = network;
    this.events = events;
    this.channel = channel;
    this.peer = channel.getRemoteAddress();
    this.host = channel.getLocalAddress();
    this.outbound =
        new WriteQueue(options.writeBufferLowWatermark(), options.writeBufferHighWatermark());
  }

  /** Opens the socket on {@code loop}; called on its thread. */
  void start(IocpLoop loop) {
    this.loop = loop;
    loop.track(channel);
    events.opened(this, loop);
    readIfWanted();
  }

  // ---------------------------------------------------------------- reading

  private void readIfWanted() {
    if (reading && !readPending && !closing) {
      readPending = true;
      ByteBuffer buffer = readBuffer;
      try {
        channel.read(
            buffer,
            null,
            new CompletionHandler<Integer, Void>() {
              @Override
              public void completed(Integer count, Void unused) {
                network.post(loop, () -> readCompleted(buffer, count));
              }

              @Override
              public void failed(Throwable error, Void unused) {
                network.post(loop, () -> ioFailed(error, "read"));
              }
            });
      } catch (RuntimeException e) {
        readPending = false;
        ioFailed(e, "read");
      }
    }
  }

  private void readCompleted(ByteBuffer buffer, int count) {
    readPending = false;
    if (closing) {
      return;
    }
    if (count < 0) {
      events.peerHalfClosed(); // end of stream
      return;
    }
    buffer.flip();
    events.received(buffer);
    events.readBurstEnded();
    buffer.clear();
    adaptReadBuffer(count, buffer.capacity());
    readIfWanted();
  }

  private void adaptReadBuffer(int count, int capacity) {
    if (count == capacity && capacity < MAX_READ) {
      readBuffer = ByteBuffer.allocate(capacity * 2);
    } else if (count < capacity / 4 && capacity > MIN_READ) {
      readBuffer = ByteBuffer.allocate(capacity / 2);
    }
  }

  @Override
  public void reading(boolean on) {
    reading = on;
    readIfWanted(); // a read already under way completes; its data is held while paused
  }

  // ---------------------------------------------------------------- writing

  @Override
  public void write(ByteBuffer data, boolean lent) {
    if (outbound.add(data)) {
      events.writabilityChanged();
    }
  }

  @Override
  public void flush() {
    if (writePending || closing) {
      return;
    }
    if (outbound.isEmpty()) {
      afterFlushed();
      return;
    }
    writePending = true;
    ByteBuffer[] gather = outbound.head(MAX_GATHER);
    try {
      channel.write(
          gather,
          0,
          gather.length,
          0,
          TimeUnit.MILLISECONDS,
          null,
          new CompletionHandler<Long, Void>() {
            @Override
            public void completed(Long written, Void unused) {
              network.post(loop, () -> writeCompleted(written));
            }

            @Override
            public void failed(Throwable error, Void unused) {
              network.post(loop, () -> ioFailed(error, "write"));
            }
          });
    } catch (RuntimeException e) {
      writePending = false;
      ioFailed(e, "write");
    }
  }

  private void writeCompleted(long written) {
    writePending = false;
    if (outbound.sent(written)) {
      events.writabilityChanged();
    }
    flush();
  }

  private void afterFlushed() {
    if (closeWhenFlushed) {
      closeWhenFlushed = false;
      closeNow();
    } else if (shutdownWhenFlushed) {
      shutdownWhenFlushed = false;
      try {
        channel.shutdownOutput();
      } catch (IOException e) {
        ioFailed(e, "shutdownOutput");
      }
    }
  }

  @Override
  public void closeAfterWrites() {
    closeWhenFlushed = true;
    flush();
  }

  @Override
  public void shutdownOutputAfterWrites() {
    shutdownWhenFlushed = true;
    flush();
  }

  @Override
  public long queuedBytes() {
    return outbound.bytes();
  }

  @Override
  public boolean writable() {
    return outbound.writable();
  }

  // ---------------------------------------------------------------- closing

  @Override
  public void closeNow() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      channel.close(); // pending operations complete with AsynchronousCloseException, ignored
    } catch (IOException ignored) {
      // the socket is gone either way
    }
    loop.untrack(channel);
    outbound.clear();
    loop.execute(this::finish);
  }

  private void ioFailed(Throwable error, String operation) {
    if (operation.equals("read")) {
      readPending = false;
    } else if (operation.equals("write")) {
      writePending = false;
    }
    if (closing) {
      return;
    }
    events.failed(error);
    closeNow();
  }

  private void finish() {
    if (!finished) {
      finished = true;
      events.closed();
    }
  }

  @Override
  public SocketAddress remoteAddress() {
    return peer;
  }

  @Override
  public SocketAddress localAddress() {
    return host;
  }
}
