package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.torsion.spi.AcceptBackoff;
import io.torsion.spi.Acceptor;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The handler of a listening channel: gives each accepted channel its {@link NettySocket} and
 * registers it with the reactor's loop.
 *
 * <p>When accepting fails it pauses by switching auto-read off for the {@link AcceptBackoff}'s
 * wait: Netty's NIO and epoll channels keep their read interest after a failed accept (it is
 * cleared only by a successful one, or by auto-read going from on to off), so merely not asking for
 * more would still spin. io_uring's multishot accept re-arms itself regardless (measured: 600,000
 * failed accepts a second), which is why the io_uring transport runs single-shot accepts. This
 * lives inside the transport, so that no user code can defeat it.
 */
final class AcceptHandler extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("io.torsion.ListeningPort");

  /** Closes an accepted channel that could not be registered: one listener for all of them. */
  private static final ChannelFutureListener CLOSE_IF_UNREGISTERED =
      registered -> {
        if (!registered.isSuccess()) {
          LOG.log(
              Level.WARNING,
              "could not register an accepted connection; closing it",
              registered.cause());
          registered.channel().unsafe().closeForcibly();
        }
      };

  private final NettyNetwork network;
  private final IoEventLoop loop;
  private final Acceptor acceptor;
  private final boolean spread;
  private final AcceptBackoff backoff = new AcceptBackoff();
  private boolean paused;

  /**
   * Creates the handler of a listening channel on {@code loop}; accepted connections go to the
   * acceptor's loops in turn when {@code spread}, else stay on {@code loop}.
   */
  AcceptHandler(NettyNetwork network, IoEventLoop loop, Acceptor acceptor, boolean spread) {
    this.network = network;
    this.loop = loop;
    this.acceptor = acceptor;
    this.spread = spread;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    backoff.succeeded(ctx.channel().localAddress());
    try {
      network.configure(child.config());
      child.pipeline().addLast(new NettySocket(acceptor.accepted()));
      ChannelPromise registration = child.newPromise();
      child.unsafe().register(spread ? ((NettyLoop) acceptor.nextPoller()).io : loop, registration);
      registration.addListener(CLOSE_IF_UNREGISTERED);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not set up an accepted connection; closing it", e);
      child.unsafe().closeForcibly();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Channel server = ctx.channel();
    acceptor.acceptFailed(cause, !paused);
    if (paused) {
      LOG.log(
          Level.DEBUG,
          "accept failed again on {0} while pausing: {1}",
          server.localAddress(),
          cause);
      return;
    }
    long wait = backoff.failed(server.localAddress(), cause);
    paused = true;
    server.config().setAutoRead(false);
    loop.schedule(
        () -> {
          paused = false;
          if (server.isOpen()) {
            server.config().setAutoRead(true);
          }
        },
        wait,
        TimeUnit.MILLISECONDS);
  }
}
