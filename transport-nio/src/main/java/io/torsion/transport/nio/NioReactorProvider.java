package io.torsion.transport.nio;

import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import io.torsion.transport.netty.NettyTransport;

/**
 * The {@code nio} transport: Netty 4.2's NIO I/O handler over the JDK's selectors. Runs on every
 * platform, so it is the fallback everywhere; native transports outrank it where they load.
 */
public final class NioReactorProvider implements ReactorProvider {
  /** The priority of NIO on every platform: the lowest of the automatic choices. */
  public static final int PRIORITY = 10;

  private static final NettyTransport NIO =
      new NettyTransport(
              NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class)
          .withDatagrams(NioDatagramChannel.class)
          .withDomainSockets(NioServerDomainSocketChannel.class, NioDomainSocketChannel.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public NioReactorProvider() {}

  @Override
  public String name() {
    return "nio";
  }

  @Override
  public int priority(Platform platform) {
    return PRIORITY;
  }

  @Override
  public Availability availability() {
    return Availability.AVAILABLE;
  }

  @Override
  public Network open(ReactorOptions options) {
    return NIO.open(options);
  }
}
