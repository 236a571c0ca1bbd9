package io.torsion.transport.netty;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.transport.netty.internal.NettyReactor;
import io.torsion.transport.posix.FileDescriptorLimit;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One Netty I/O flavour (NIO, epoll, kqueue, io_uring) as a Torsion transport: the {@link
 * IoHandlerFactory} and the two channel classes that must go with it. Transport modules describe
 * themselves with one of these and let {@link #newReactor} build the reactor, so that every
 * Netty-based transport shares one reactor implementation.
 *
 * <pre>{@code
 * NettyTransport nio = new NettyTransport("nio", NioIoHandler::newFactory,
 *     NioServerSocketChannel.class, NioSocketChannel.class);
 * Reactor reactor = nio.newReactor(options, report);
 * }</pre>
 *
 * @param name the provider name, used in errors and reports
 * @param ioHandlerFactory creates the I/O handler factory for each event loop
 * @param serverChannel the listening channel class of this flavour
 * @param socketChannel the connection channel class of this flavour
 * @param reusePort the flavour's {@code SO_REUSEPORT} option, or null if it has none: with it and
 *     more than one thread, each thread gets a listening socket of its own
 */
public record NettyTransport(
    String name,
    Supplier<IoHandlerFactory> ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    ChannelOption<Boolean> reusePort) {

  /** Requires every component but {@code reusePort}. */
  public NettyTransport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
    Objects.requireNonNull(serverChannel, "serverChannel");
    Objects.requireNonNull(socketChannel, "socketChannel");
  }

  /** Describes a flavour without {@code SO_REUSEPORT}. */
  public NettyTransport(
      String name,
      Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel) {
    this(name, ioHandlerFactory, serverChannel, socketChannel, null);
  }

  /**
   * Creates a reactor on this flavour. On Linux and macOS this first raises the open-files soft
   * limit to the hard limit (unless {@code -Dtorsion.rlimit.raise=false}) and records both figures
   * in the report.
   */
  public Reactor newReactor(ReactorOptions options, ReactorReport report) {
    ReactorReport withLimits = report.withDetail(FileDescriptorLimit.raiseToHardLimit().describe());
    return new NettyReactor(name, ioHandlerFactory, serverChannel, socketChannel, reusePort, options, withLimits);
  }
}
