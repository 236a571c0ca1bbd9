package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.torsion.spi.SocketEvents;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The handler of a listening channel: gives each accepted channel its {@link NettySocket}
 * and registers it with the reactor's loop.
 *
 * <p>When accepting fails (above all with EMFILE or ENFILE, out of file descriptors) it stops
 * accepting and retries after a back-off that doubles from {@value #FIRST_BACKOFF_MS} ms to
 * {@value #MAX_BACKOFF_MS} ms, instead of letting the loop spin on a socket that stays readable.
 * Pausing means switching auto-read off: Netty's NIO and epoll channels keep their read interest
 * after a failed accept (it is cleared only by a successful one, or by auto-read going from on to
 * off), so merely not asking for more would still spin. io_uring's multishot accept re-arms itself
 * regardless (measured: 600,000 failed accepts a second), which is why the io_uring transport
 * runs single-shot accepts.
 * It logs one warning per burst of failures, each failed attempt at debug level, and one line
 * when accepting works again. Existing connections are not affected. This lives here, inside the
 * transport, so that no user code can defeat it.
 */
final class Acceptor extends ChannelInboundHandlerAdapter {
  static final String LOGGER = "io.torsion.ListeningPort";
  static final long FIRST_BACKOFF_MS = 10;
  static final long MAX_BACKOFF_MS = 1000;
  private static final System.Logger LOG = System.getLogger(LOGGER);

  private final NettyNetwork network;
  private final IoEventLoop loop;
  private final Supplier<SocketEvents> accepted;
  private final Supplier<IoEventLoop> spread;
  private int failures;
  private long burstStartNanos;
  private long backoffMs;
  private boolean paused;

  /**
   * Creates the acceptor of a listening channel on {@code loop}; accepted connections go to the
   * loops {@code spread} names in turn, or stay on {@code loop} when it is null.
   */
  Acceptor(NettyNetwork network, IoEventLoop loop, Supplier<SocketEvents> accepted, Supplier<IoEventLoop> spread) {
    this.network = network;
    this.loop = loop;
    this.accepted = accepted;
    this.spread = spread;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    if (failures > 0) {
      LOG.log(Level.INFO, "accepting again on {0} after {1} failed attempt(s) over {2} ms",
          ctx.channel().localAddress(), failures, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStartNanos));
      failures = 0;
    }
    try {
      child.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      int send = network.options().socketSendBuffer();
      if (send > 0) {
        child.config().setOption(ChannelOption.SO_SNDBUF, send);
      }
      child.pipeline().addLast(new NettySocket(network, accepted.get()));
      ChannelPromise registration = child.newPromise();
      child.unsafe().register(spread == null ? loop : spread.get(), registration);
      registration.addListener(registered -> {
        if (!registered.isSuccess()) {
          LOG.log(Level.WARNING, "could not register an accepted connection; closing it", registered.cause());
          child.unsafe().closeForcibly();
        }
      });
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not set up an accepted connection; closing it", e);
      child.unsafe().closeForcibly();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Channel server = ctx.channel();
    if (paused) {
      LOG.log(Level.DEBUG, "accept failed again on {0} while pausing: {1}", server.localAddress(), cause);
      return;
    }
    if (failures++ == 0) {
      burstStartNanos = System.nanoTime();
      backoffMs = FIRST_BACKOFF_MS;
      LOG.log(Level.WARNING, "accept failed on {0}: {1}; pausing accepts and retrying with back-off"
          + " (up to every {2} ms). Existing connections are unaffected.",
          server.localAddress(), cause.getMessage() == null ? cause.toString() : cause.getMessage(), MAX_BACKOFF_MS);
    } else {
      LOG.log(Level.DEBUG, "accept failed again on {0} (attempt {1}): {2}", server.localAddress(), failures, cause);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    paused = true;
    server.config().setAutoRead(false);
    loop.schedule(() -> {
      paused = false;
      if (server.isOpen()) {
        server.config().setAutoRead(true);
      }
    }, backoffMs, TimeUnit.MILLISECONDS);
  }
}
