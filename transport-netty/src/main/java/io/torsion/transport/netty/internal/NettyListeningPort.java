package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.torsion.Factory;
import io.torsion.spi.AbstractListeningPort;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A listening port: one channel, or one per loop when the transport shares the port (SO_REUSEPORT). */
final class NettyListeningPort extends AbstractListeningPort {
  private final List<Channel> channels;

  NettyListeningPort(NettyReactor reactor, List<Channel> channels, Factory<?> factory) {
    super(reactor, factory, (InetSocketAddress) channels.get(0).localAddress());
    this.channels = List.copyOf(channels);
  }

  @Override
  protected void closeSockets(Runnable whenClosed) {
    AtomicInteger open = new AtomicInteger(channels.size());
    for (Channel channel : channels) {
      channel.close().addListener(future -> {
        if (open.decrementAndGet() == 0) {
          whenClosed.run();
        }
      });
    }
  }
}
