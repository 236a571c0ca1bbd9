package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.torsion.spi.ListenSocket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket: one channel, or one per loop when the transport shares the port
 * (SO_REUSEPORT).
 */
final class NettyListeningPort implements ListenSocket {
  private final List<Channel> channels;

  private final SocketAddress known; // null: ask the channel

  NettyListeningPort(List<Channel> channels) {
    this(channels, null);
  }

  /** A port whose address is {@code known} (an adopted domain socket's channel has none). */
  NettyListeningPort(List<Channel> channels, SocketAddress known) {
    this.channels = List.copyOf(channels);
    this.known = known;
  }

  @Override
  public SocketAddress address() {
    return known != null ? known : UnixSockets.jdkAddress(channels.get(0).localAddress());
  }

  @Override
  public void close(Runnable whenClosed) {
    AtomicInteger open = new AtomicInteger(channels.size());
    for (Channel channel : channels) {
      channel
          .close()
          .addListener(
              future -> {
                if (open.decrementAndGet() == 0) {
                  whenClosed.run();
                }
              });
    }
  }
}
