package io.torsion.benchmarks.load;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The Netty I/O handler and server channel of a transport name, for the raw Netty baselines: {@code
 * epoll}, {@code io_uring} or {@code nio} (also the baseline of Torsion's {@code iocp}, which has
 * no Netty counterpart).
 */
record NettyFlavour(
    String name, IoHandlerFactory io, Class<? extends ServerChannel> serverChannel) {
  static NettyFlavour of(String transport) {
    return switch (transport) {
      case "epoll" ->
          new NettyFlavour("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
      case "io_uring" ->
          new NettyFlavour(
              "io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
      case "nio", "iocp" ->
          new NettyFlavour("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
      default ->
          throw new IllegalArgumentException(
              "no raw Netty flavour for transport '" + transport + "'");
    };
  }
}
