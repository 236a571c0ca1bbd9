package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A listening port: one channel, or one per loop when the transport shares the port (SO_REUSEPORT). */
final class NettyListeningPort implements ListeningPort {
  private final NettyReactor reactor;
  private final List<Channel> channels;
  private final Factory<?> factory;
  private final InetSocketAddress address;
  private Deferred<Void> stopped;

  NettyListeningPort(NettyReactor reactor, List<Channel> channels, Factory<?> factory) {
    this.reactor = reactor;
    this.channels = List.copyOf(channels);
    this.factory = factory;
    this.address = (InetSocketAddress) channels.get(0).localAddress();
  }

  @Override
  public InetSocketAddress getHost() {
    return address;
  }

  @Override
  public Deferred<Void> stopListening() {
    NettyLoop caller = reactor.claimThread("stopListening");
    if (stopped == null) {
      stopped = new Deferred<>();
      AtomicInteger open = new AtomicInteger(channels.size());
      for (Channel channel : channels) {
        channel.close().addListener(future -> {
          if (open.decrementAndGet() == 0) {
            // On the thread that asked, once its loop has polled: only then is the socket released.
            caller.execute(() -> caller.afterNextPoll(() -> {
              reactor.portStopped(this, factory);
              stopped.callback(null);
            }));
          }
        });
      }
    }
    return stopped;
  }

  @Override
  public String toString() {
    return "ListeningPort[" + address + (channels.size() > 1 ? ", " + channels.size() + " sockets" : "") + ", "
        + (stopped == null ? "listening" : "stopped") + "]";
  }
}
