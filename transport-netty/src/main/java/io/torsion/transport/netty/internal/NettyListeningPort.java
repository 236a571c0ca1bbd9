package io.torsion.transport.netty.internal;

import io.netty.channel.Channel;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import java.net.InetSocketAddress;

/** A listening server channel. */
final class NettyListeningPort implements ListeningPort {
  private final NettyReactor reactor;
  private final Channel channel;
  private final Factory<?> factory;
  private final InetSocketAddress address;
  private Deferred<Void> stopped;

  NettyListeningPort(NettyReactor reactor, Channel channel, Factory<?> factory) {
    this.reactor = reactor;
    this.channel = channel;
    this.factory = factory;
    this.address = (InetSocketAddress) channel.localAddress();
  }

  @Override
  public InetSocketAddress getHost() {
    return address;
  }

  @Override
  public Deferred<Void> stopListening() {
    reactor.claimThread("stopListening");
    if (stopped == null) {
      stopped = new Deferred<>();
      channel.close().addListener(future -> {
        reactor.portStopped(this, factory);
        stopped.callback(null);
      });
    }
    return stopped;
  }

  @Override
  public String toString() {
    return "ListeningPort[" + address + ", " + (stopped == null ? "listening" : "stopped") + "]";
  }
}
