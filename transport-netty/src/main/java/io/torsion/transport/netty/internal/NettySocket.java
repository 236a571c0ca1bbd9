package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.torsion.PeerCredentials;
import io.torsion.spi.Socket;
import io.torsion.spi.SocketEvents;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A socket on a Netty channel. It is the channel's only handler (one object per socket, not two:
 * idle connections are what a server holds most of): it turns channel events into {@link
 * SocketEvents}, and the socket operations map onto the channel. Reads are lent as views of Netty's
 * pooled buffers; a protocol that writes a lent view back (echo) sends the same memory, without a
 * copy.
 */
final class NettySocket implements Socket, ChannelInboundHandler {
  private final SocketEvents events;
  // The channel's context: writes start here, not at the pipeline's tail.
  private ChannelHandlerContext context;

  NettySocket(SocketEvents events) {
    this.events = events;
  }

  // ---------------------------------------------------------------- socket operations

  @Override
  public void write(ByteBuffer data, boolean lent) {
    ByteBuf out;
    NettyLoop on = lent ? NettyLoop.current() : null; // the loop whose read is being lent
    // A lent view is sent without a copy when nothing is queued yet (it is flushed at the end of
    // the read: echo's fast path) or when it fills at least a quarter of the read buffer. A
    // retained buffer pins all of its memory while the queue counts its readable bytes only, so
    // small reads written back behind a backlog could otherwise hold far more than the watermarks
    // allow; this way a queue pins at most four times what it counts.
    lent = lent && (data.remaining() * 4L >= on.lentBuf.capacity() || queuedBytes() == 0);
    if (lent && data.position() == on.lentStart && data.remaining() == on.lentBuf.readableBytes()) {
      out = on.lentBuf.retain(); // the whole read, written back as it is (echo)
    } else if (lent) {
      out =
          on.lentBuf.retainedSlice(
              on.lentBuf.readerIndex() + data.position() - on.lentStart, data.remaining());
    } else {
      out = context.alloc().ioBuffer(data.remaining());
      out.writeBytes(data.duplicate());
    }
    context.write(out, context.voidPromise());
  }

  @Override
  public void flush() {
    context.flush();
  }

  /**
   * Closes once what is queued is written. With nothing queued (a peer's clean close, most often)
   * it closes at once, without the empty write, promise and listener that waiting for writes costs.
   */
  @Override
  public void closeAfterWrites() {
    if (queuedBytes() == 0) {
      context.channel().close();
    } else {
      context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Closes now. The socket is shut down in both directions first: Netty's io_uring channel defers
   * the close itself while a write is in flight, and a peer that does not read would then see
   * neither data nor the end of the connection (measured: the socket stayed open).
   */
  @Override
  public void closeNow() {
    Channel channel = context.channel();
    if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdown();
    }
    channel.close();
  }

  @Override
  public void shutdownOutputAfterWrites() {
    context
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                future -> {
                  if (future.isSuccess() && future.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                  }
                });
  }

  @Override
  public void reading(boolean reading) {
    context.channel().config().setAutoRead(reading);
  }

  @Override
  public long queuedBytes() {
    ChannelOutboundBuffer buffer = context.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public boolean writable() {
    return context.channel().isWritable();
  }

  @Override
  public PeerCredentials peerCredentials() {
    return context == null ? null : UnixSockets.peerCredentials(context.channel());
  }

  @Override
  public SocketAddress remoteAddress() {
    return context == null ? null : UnixSockets.jdkAddress(context.channel().remoteAddress());
  }

  @Override
  public SocketAddress localAddress() {
    return context == null ? null : UnixSockets.jdkAddress(context.channel().localAddress());
  }

  @Override
  public String id() {
    return context == null ? "?" : context.channel().id().asShortText();
  }

  // ---------------------------------------------------------------- Netty's events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {}

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {}

  @Override
  public void channelUnregistered(ChannelHandlerContext ctx) {}

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    events.opened(this, NettyLoop.current());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = (ByteBuf) msg;
    NettyLoop on = NettyLoop.current();
    on.bytesThisTurn += data.readableBytes();
    ByteBuf outerBuf = on.lentBuf;
    int outerStart = on.lentStart;
    // A view needs one piece of memory: a read spread over several (rare) is copied into one.
    ByteBuf whole = data.nioBufferCount() == 1 ? data : Unpooled.copiedBuffer(data);
    try {
      ByteBuffer view = on.view(whole);
      on.lentBuf = whole;
      on.lentStart = view.position();
      events.received(view);
    } finally {
      on.lentBuf = outerBuf;
      on.lentStart = outerStart;
      if (whole != data) {
        whole.release();
      }
      data.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    NettyLoop.current().burstsThisTurn++; // every channel event runs on its loop, as channelRead
    events.readBurstEnded();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      events.peerHalfClosed();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    events.writabilityChanged();
  }

  @Override
  @SuppressWarnings(
      "deprecation") // ChannelHandler.exceptionCaught is deprecated, ChannelInboundHandler's is not
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    events.failed(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    events.closed();
  }
}
