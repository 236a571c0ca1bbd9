package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.torsion.Factory;
import java.lang.System.Logger.Level;

/**
 * The handler of a listening channel: gives each accepted channel its {@link NettyConnection}
 * and registers it with the reactor's loop.
 */
final class Acceptor extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(io.torsion.ListeningPort.class.getName());

  private final NettyReactor reactor;
  private final IoEventLoop loop;
  private final Factory<?> factory;

  Acceptor(NettyReactor reactor, IoEventLoop loop, Factory<?> factory) {
    this.reactor = reactor;
    this.loop = loop;
    this.factory = factory;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    try {
      child.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      child.pipeline().addLast(new NettyConnection(reactor, factory, null));
      ChannelPromise registration = child.newPromise();
      child.unsafe().register(loop, registration);
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
    LOG.log(Level.WARNING, "accept failed on " + ctx.channel().localAddress() + ": " + cause);
  }
}
