package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorOptions;
import io.torsion.spi.AbstractConnection;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection on a Netty channel: its {@link Handler} turns channel events into {@link
 * AbstractConnection} events, and the socket operations map onto the channel. Reads are lent to
 * the protocol as views of Netty's pooled buffers; a protocol that writes a lent view back (echo)
 * sends the same memory, without a copy.
 */
final class NettyConnection extends AbstractConnection {
  private final NettyReactor reactor;
  private Channel channel;
  private ByteBuf lentBuf;
  private int lentStart;

  NettyConnection(NettyReactor reactor, Factory<?> factory, Deferred<? extends Protocol> connected) {
    super(reactor, factory, connected);
    this.reactor = reactor;
  }

  /** Returns the channel handler that drives this connection. */
  Handler handler() {
    return new Handler();
  }

  // ---------------------------------------------------------------- socket operations

  @Override
  protected void queueWrite(ByteBuffer data, boolean lent) {
    ByteBuf out;
    if (lent) {
      out = lentBuf.retainedSlice(lentBuf.readerIndex() + data.position() - lentStart, data.remaining());
    } else {
      out = channel.alloc().ioBuffer(data.remaining());
      out.writeBytes(data.duplicate());
    }
    channel.write(out, channel.voidPromise());
  }

  @Override
  protected void flushWrites() {
    channel.flush();
  }

  @Override
  protected void closeAfterWrites() {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Closes now. The socket is shut down in both directions first: Netty's io_uring channel defers
   * the close itself while a write is in flight, and a peer that does not read would then see
   * neither data nor the end of the connection (measured: the socket stayed open).
   */
  @Override
  protected void closeNow() {
    if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdown();
    }
    channel.close();
  }

  @Override
  protected void shutdownOutputAfterWrites() {
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
      if (future.isSuccess() && channel instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      }
    });
  }

  @Override
  protected void setReading(boolean reading) {
    channel.config().setAutoRead(reading);
  }

  @Override
  protected long queuedBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  protected boolean writable() {
    return channel.isWritable();
  }

  @Override
  public SocketAddress getPeer() {
    return channel == null ? null : channel.remoteAddress();
  }

  @Override
  public SocketAddress getHost() {
    return channel == null ? null : channel.localAddress();
  }

  @Override
  protected String socketId() {
    return channel == null ? "?" : channel.id().asShortText();
  }

  /** The channel handler: Netty's events, as {@link AbstractConnection} events. */
  final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      ReactorOptions options = reactor.options();
      channel.config().setWriteBufferWaterMark(
          new WriteBufferWaterMark(options.writeBufferLowWatermark(), options.writeBufferHighWatermark()));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      opened(reactor.loopOf(channel.eventLoop()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf data = (ByteBuf) msg;
      try {
        if (data.nioBufferCount() == 1) {
          ByteBuffer view = data.nioBuffer();
          lentBuf = data;
          lentStart = view.position();
          received(view);
        } else {
          byte[] copy = new byte[data.readableBytes()];
          data.getBytes(data.readerIndex(), copy);
          received(ByteBuffer.wrap(copy));
        }
      } finally {
        lentBuf = null;
        data.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      readBurstEnded();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        peerHalfClosed();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closed();
    }
  }
}
