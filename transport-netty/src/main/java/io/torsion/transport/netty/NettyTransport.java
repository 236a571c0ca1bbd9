package io.torsion.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.torsion.ReactorOptions;
import io.torsion.posix.FileDescriptorLimit;
import io.torsion.spi.Network;
import io.torsion.transport.netty.internal.NettyNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One Netty I/O flavour (NIO, epoll, kqueue, io_uring) as a Torsion transport: the {@link
 * IoHandlerFactory} and the two channel classes that must go with it. Transport modules describe
 * themselves with one of these and let {@link #open} make the {@link Network}, so that every
 * Netty-based transport shares one implementation.
 *
 * <pre>{@code
 * NettyTransport nio = new NettyTransport(NioIoHandler::newFactory,
 *     NioServerSocketChannel.class, NioSocketChannel.class);
 * Network network = nio.open(options);
 * }</pre>
 *
 * @param ioHandlerFactory creates the I/O handler factory for each event loop
 * @param serverChannel the listening channel class of this flavour
 * @param socketChannel the connection channel class of this flavour
 * @param reusePort the flavour's {@code SO_REUSEPORT} option, or null if it has none: with it and
 *     more than one thread, each thread gets a listening socket of its own
 * @param datagramChannel the UDP channel class of this flavour, or null if it has none (then {@code
 *     listenUDP} says so)
 * @param domainServerChannel the listening UNIX domain socket channel class, or null if it has none
 *     (then {@code listenUNIX} says so)
 * @param domainSocketChannel the UNIX domain socket connection channel class, or null
 */
public record NettyTransport(
    Supplier<IoHandlerFactory> ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    ChannelOption<Boolean> reusePort,
    Class<? extends DatagramChannel> datagramChannel,
    Class<? extends ServerChannel> domainServerChannel,
    Class<? extends Channel> domainSocketChannel) {

  /** Requires the I/O handler and the TCP channel classes; the others may be null. */
  public NettyTransport {
    Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
    Objects.requireNonNull(serverChannel, "serverChannel");
    Objects.requireNonNull(socketChannel, "socketChannel");
  }

  /** Describes a flavour with TCP only, without {@code SO_REUSEPORT}. */
  public NettyTransport(
      Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel) {
    this(ioHandlerFactory, serverChannel, socketChannel, null, null, null, null);
  }

  /** Describes a flavour with TCP only. */
  public NettyTransport(
      Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      ChannelOption<Boolean> reusePort) {
    this(ioHandlerFactory, serverChannel, socketChannel, reusePort, null, null, null);
  }

  /** Returns this flavour with UDP on {@code channel}. */
  public NettyTransport withDatagrams(Class<? extends DatagramChannel> channel) {
    return new NettyTransport(
        ioHandlerFactory,
        serverChannel,
        socketChannel,
        reusePort,
        channel,
        domainServerChannel,
        domainSocketChannel);
  }

  /** Returns this flavour with UNIX domain sockets on {@code server} and {@code socket}. */
  public NettyTransport withDomainSockets(
      Class<? extends ServerChannel> server, Class<? extends Channel> socket) {
    return new NettyTransport(
        ioHandlerFactory, serverChannel, socketChannel, reusePort, datagramChannel, server, socket);
  }

  /**
   * Opens the sockets of one reactor on this flavour. On Linux and macOS this first raises the
   * open-files soft limit to the hard limit (unless {@code -Dtorsion.rlimit.raise=false}) and
   * reports both figures.
   *
   * @param details more facts for the reactor's report, one {@code "name: value"} line each
   */
  public Network open(ReactorOptions options, String... details) {
    List<String> all = new ArrayList<>(List.of(details));
    all.add(FileDescriptorLimit.raiseToHardLimit().describe());
    return new NettyNetwork(
        ioHandlerFactory,
        serverChannel,
        socketChannel,
        reusePort,
        datagramChannel,
        domainServerChannel,
        domainSocketChannel,
        options,
        all);
  }
}
