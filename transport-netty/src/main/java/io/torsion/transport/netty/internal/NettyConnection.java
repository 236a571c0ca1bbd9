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
import io.torsion.ConnectError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.ReactorOptions;
import io.torsion.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One connection: the Netty handler that drives a {@link Protocol}, and the {@link Transport} the
 * protocol writes to.
 *
 * <p>Writes made while the protocol handles a read are flushed once, when the read burst ends;
 * writes made at any other time are flushed at once. Reads that arrive while paused are held (at
 * most one read buffer, since reading stops) and delivered on resume, in order.
 *
 * <p>Output is bounded: Netty's writability, set to the reactor's watermarks, pauses and resumes a
 * registered push producer and asks a pull producer for more; past the hard limit the connection
 * is aborted.
 */
final class NettyConnection extends ChannelInboundHandlerAdapter implements Transport {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());

  private enum State {
    CONNECTING,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final NettyReactor reactor;
  private final Factory<?> factory;
  private final Deferred<Protocol> connected; // client side only
  private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
  private final ReactorOptions options;

  private Channel channel;
  private NettyLoop loop;
  private Protocol protocol;
  private State state = State.CONNECTING;
  private ConnectionClosed reason;
  private boolean inReadBurst;
  private boolean flushPending;
  private boolean paused;
  private boolean writeShutdown;
  private ByteBuf lentBuf;
  private ByteBuffer lentView;
  private int lentStart;
  private PushProducer pushProducer;
  private PullProducer pullProducer;
  private boolean producerPaused;
  private boolean pullScheduled;
  private boolean closeWhenProducerDone;

  @SuppressWarnings("unchecked")
  NettyConnection(NettyReactor reactor, Factory<?> factory, Deferred<? extends Protocol> connected) {
    this.reactor = reactor;
    this.factory = factory;
    this.connected = (Deferred<Protocol>) connected;
    this.options = reactor.options();
  }

  // ---------------------------------------------------------------- inbound events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    channel.config().setWriteBufferWaterMark(
        new WriteBufferWaterMark(options.writeBufferLowWatermark(), options.writeBufferHighWatermark()));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    state = State.OPEN;
    loop = reactor.loopOf(channel.eventLoop());
    reactor.connectionOpened(this, loop);
    SocketAddress peer = channel.remoteAddress();
    Protocol built;
    try {
      built = factory.buildProtocol(peer);
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      fail(error, "buildProtocol");
      return;
    }
    if (built == null) {
      LOG.log(Level.DEBUG, "{0} refused the connection from {1}", factory, peer);
      abort(new ConnectionAborted("the factory refused the connection (buildProtocol returned null)", null));
      return;
    }
    protocol = built;
    try {
      protocol.makeConnection(this);
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      fail(error, "connectionMade");
      return;
    }
    flushIfPending();
    if (connected != null && !connected.called() && state == State.OPEN) {
      connected.callback(protocol);
      flushIfPending();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = (ByteBuf) msg;
    if (state == State.CLOSED || protocol == null) {
      data.release();
    } else if (paused || !held.isEmpty()) {
      held.add(data);
    } else {
      inReadBurst = true;
      deliver(data);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    inReadBurst = false;
    flushIfPending();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent && state == State.OPEN) {
      if (protocol instanceof HalfCloseableProtocol halfCloseable) {
        try {
          halfCloseable.readConnectionLost();
        } catch (Throwable error) {
          Fatal.rethrowIfFatal(error);
          fail(error, "readConnectionLost");
        }
        flushIfPending();
      } else {
        loseConnection();
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (reason == null) {
      reason = new ConnectionLost(describe(cause), cause);
    }
    if (cause instanceof IOException) {
      LOG.log(Level.DEBUG, "{0}: {1}", this, cause);
    } else {
      LOG.log(Level.WARNING, this + ": unexpected error; closing the connection", cause);
    }
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable()) {
      if (pushProducer != null && producerPaused) {
        producerPaused = false;
        PushProducer producer = pushProducer;
        callProducer(producer::resumeProducing, "resumeProducing");
      }
      schedulePull();
    } else if (pushProducer != null && !producerPaused) {
      producerPaused = true;
      PushProducer producer = pushProducer;
      callProducer(producer::pauseProducing, "pauseProducing");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    boolean wasOpen = state != State.CONNECTING;
    state = State.CLOSED;
    releaseHeld();
    stopProducer();
    if (loop != null) {
      reactor.connectionClosed(this, loop, connected == null ? null : factory);
    }
    ConnectionClosed why = reason != null ? reason : new ConnectionDone("connection closed cleanly");
    if (connected != null && !connected.called()) {
      connected.errback(new ConnectError("connection closed before it was established: " + why.getMessage(), why));
    }
    if (protocol != null && wasOpen) {
      Protocol lost = protocol;
      NettyReactor.runContained(() -> lost.connectionLost(why), this + ": connectionLost");
    }
  }

  private void deliver(ByteBuf data) {
    ByteBuffer view = data.nioBufferCount() == 1 ? data.nioBuffer() : ByteBuffer.wrap(ByteBufs.copy(data));
    lentBuf = data;
    lentView = view;
    lentStart = view.position();
    try {
      protocol.dataReceived(view);
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      fail(error, "dataReceived");
    } finally {
      lentBuf = null;
      lentView = null;
      data.release();
    }
  }

  private void drainHeld() {
    ByteBuf next;
    while (!paused && state == State.OPEN && (next = held.poll()) != null) {
      deliver(next);
    }
    flushIfPending();
    if (!paused && state == State.OPEN && held.isEmpty()) {
      channel.config().setAutoRead(true);
    }
  }

  private void releaseHeld() {
    ByteBuf next;
    while ((next = held.poll()) != null) {
      next.release();
    }
  }

  /** Contains an exception thrown by protocol code: logs it and aborts this connection only. */
  private void fail(Throwable error, String callback) {
    LOG.log(Level.WARNING, this + ": " + callback + " threw; aborting this connection", error);
    abort(new ConnectionLost(callback + " threw " + error, error));
  }

  // ---------------------------------------------------------------- Transport

  @Override
  public void write(ByteBuffer data) {
    requireReactorThread();
    int length = data.remaining();
    if (length == 0 || !(state == State.OPEN || closeWhenProducerDone) || writeShutdown) {
      data.position(data.limit());
      return;
    }
    ByteBuf out;
    if (data == lentView) {
      // The protocol writes back what it was lent: share the read buffer instead of copying.
      out = lentBuf.retainedSlice(lentBuf.readerIndex() + data.position() - lentStart, length);
      data.position(data.limit());
    } else {
      out = channel.alloc().ioBuffer(length);
      out.writeBytes(data);
    }
    if (inReadBurst) {
      channel.write(out, channel.voidPromise());
      flushPending = true;
    } else {
      channel.writeAndFlush(out, channel.voidPromise());
    }
    long queued = bufferedBytes();
    if (queued > options.writeBufferLimit()) {
      LOG.log(Level.WARNING, "{0}: {1} bytes queued, over the write buffer limit of {2}; aborting",
          this, queued, options.writeBufferLimit());
      abort(new ConnectionAborted("write buffer limit of " + options.writeBufferLimit() + " bytes exceeded ("
          + queued + " queued): the peer does not read fast enough; stream large data with a producer", null));
    }
  }

  // ---------------------------------------------------------------- producers

  @Override
  public void registerProducer(PushProducer producer) {
    requireReactorThread();
    requireNoProducer(producer);
    pushProducer = producer;
    if (state == State.CLOSED) {
      stopProducer();
    } else if (!channel.isWritable()) {
      producerPaused = true;
      callProducer(producer::pauseProducing, "pauseProducing");
    }
  }

  @Override
  public void registerProducer(PullProducer producer) {
    requireReactorThread();
    requireNoProducer(producer);
    pullProducer = producer;
    if (state == State.CLOSED) {
      stopProducer();
    } else {
      schedulePull();
    }
  }

  @Override
  public void unregisterProducer() {
    requireReactorThread();
    pushProducer = null;
    pullProducer = null;
    producerPaused = false;
    if (closeWhenProducerDone) {
      closeWhenProducerDone = false;
      state = State.OPEN;
      loseConnection();
    }
  }

  private void requireNoProducer(Object producer) {
    java.util.Objects.requireNonNull(producer, "producer");
    if (pushProducer != null || pullProducer != null) {
      throw new IllegalStateException("a producer is registered already: "
          + (pushProducer != null ? pushProducer : pullProducer) + "; unregister it first");
    }
  }

  /** Asks the pull producer for one more piece on a later turn, while there is room. */
  private void schedulePull() {
    if (pullProducer != null && !pullScheduled && state != State.CLOSED) {
      pullScheduled = true;
      channel.eventLoop().execute(() -> {
        pullScheduled = false;
        PullProducer producer = pullProducer;
        if (producer != null && state != State.CLOSED && channel.isWritable()) {
          callProducer(producer::resumeProducing, "resumeProducing");
          schedulePull();
        }
      });
    }
  }

  private void stopProducer() {
    PushProducer push = pushProducer;
    PullProducer pull = pullProducer;
    pushProducer = null;
    pullProducer = null;
    if (push != null) {
      callProducer(push::stopProducing, "stopProducing");
    }
    if (pull != null) {
      callProducer(pull::stopProducing, "stopProducing");
    }
  }

  private void callProducer(Runnable call, String what) {
    try {
      call.run();
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      fail(error, "the producer's " + what);
    }
  }

  private void flushIfPending() {
    if (flushPending) {
      flushPending = false;
      channel.flush();
    }
  }

  @Override
  public void loseConnection() {
    requireReactorThread();
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    if (pushProducer != null || pullProducer != null) {
      closeWhenProducerDone = true; // Twisted's rule: the producer finishes first
      return;
    }
    flushPending = false;
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes for reactor shutdown: stops a registered producer, then flushes and closes. */
  void closeForShutdown() {
    if (closeWhenProducerDone) {
      closeWhenProducerDone = false;
      state = State.OPEN;
    }
    stopProducer();
    loseConnection();
  }

  @Override
  public void abortConnection() {
    requireReactorThread();
    abort(new ConnectionAborted("connection aborted by this side", null));
  }

  void abort(ConnectionClosed why) {
    if (state == State.CLOSED) {
      return;
    }
    if (reason == null) {
      reason = why;
    }
    state = State.CLOSING;
    releaseHeld();
    channel.close();
  }

  @Override
  public void loseWriteConnection() {
    requireReactorThread();
    if (state != State.OPEN || writeShutdown) {
      return;
    }
    writeShutdown = true;
    flushPending = false;
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
      if (future.isSuccess() && channel instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      }
    });
  }

  @Override
  public SocketAddress getPeer() {
    return channel.remoteAddress();
  }

  @Override
  public SocketAddress getHost() {
    return channel.localAddress();
  }

  @Override
  public long bufferedBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public void pauseProducing() {
    requireReactorThread();
    if (!paused && state != State.CLOSED) {
      paused = true;
      channel.config().setAutoRead(false);
    }
  }

  @Override
  public void resumeProducing() {
    requireReactorThread();
    if (paused && state != State.CLOSED) {
      paused = false;
      // Deliver held reads from the loop, not from inside the caller's own callback.
      channel.eventLoop().execute(this::drainHeld);
    }
  }

  private void requireReactorThread() {
    if (!channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException(
          "Transport methods must be called on the connection's reactor thread, not on '"
              + Thread.currentThread().getName() + "'; hop with Reactor.callFromThread (" + this + ")");
    }
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  @Override
  public String toString() {
    return "Connection[" + (channel == null ? "?" : channel.id().asShortText())
        + ", peer=" + (channel == null ? "?" : channel.remoteAddress())
        + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + (paused ? ", paused" : "")
        + ", protocol=" + (protocol == null ? "none" : protocol.getClass().getSimpleName()) + "]";
  }
}
