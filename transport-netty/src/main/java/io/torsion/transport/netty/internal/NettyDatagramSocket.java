package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.torsion.spi.DatagramEvents;
import io.torsion.spi.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A UDP socket on a Netty {@link DatagramChannel}, and the handler that turns its reads into {@link
 * DatagramEvents}: a datagram over the limit (the channel reads one byte more than it, so that one
 * shows) is reported oversized and dropped; an ICMP port unreachable, on a read or a write, is
 * reported refused.
 */
final class NettyDatagramSocket extends ChannelInboundHandlerAdapter implements DatagramSocket {
  private final DatagramChannel channel;
  private final int maxDatagramSize;
  private final DatagramEvents events;
  private final ChannelFutureListener sent = this::sent;
  private InetSocketAddress peer; // the connected peer, or null

  NettyDatagramSocket(DatagramChannel channel, int maxDatagramSize, DatagramEvents events) {
    this.channel = channel;
    this.maxDatagramSize = maxDatagramSize;
    this.events = events;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DatagramPacket packet = (DatagramPacket) msg;
    try {
      ByteBuf content = packet.content();
      if (content.readableBytes() > maxDatagramSize) {
        events.oversized(packet.sender());
      } else {
        events.received(content.nioBuffer(), packet.sender());
      }
    } finally {
      packet.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    report(cause);
  }

  private void sent(ChannelFuture future) {
    if (!future.isSuccess()) {
      report(future.cause());
    }
  }

  private void report(Throwable cause) {
    if (cause instanceof PortUnreachableException) {
      events.refused();
    } else {
      events.failed(cause);
    }
  }

  // ---------------------------------------------------------------- the socket

  @Override
  public InetSocketAddress localAddress() {
    return channel.localAddress();
  }

  @Override
  public void send(ByteBuffer data, InetSocketAddress to) {
    ByteBuf copy = channel.alloc().ioBuffer(data.remaining());
    copy.writeBytes(data.duplicate());
    // To the connected peer by its address: the connect may still be under way (io_uring), and a
    // write without one before it is done would be lost.
    channel.writeAndFlush(new DatagramPacket(copy, to != null ? to : peer)).addListener(sent);
  }

  @Override
  public void connect(InetSocketAddress peer, Consumer<Throwable> done) {
    this.peer = peer;
    channel.connect(peer).addListener(f -> done.accept(f.isSuccess() ? null : f.cause()));
  }

  @Override
  public void setBroadcast(boolean on) {
    channel.config().setBroadcast(on);
  }

  @Override
  public void setMulticastLoopback(boolean on) {
    channel.config().setLoopbackModeDisabled(!on);
  }

  @Override
  public void setMulticastTimeToLive(int ttl) {
    channel.config().setTimeToLive(ttl);
  }

  @Override
  public void joinGroup(
      InetAddress group, NetworkInterface networkInterface, Consumer<Throwable> done) {
    membership(group, networkInterface, done, true);
  }

  @Override
  public void leaveGroup(
      InetAddress group, NetworkInterface networkInterface, Consumer<Throwable> done) {
    membership(group, networkInterface, done, false);
  }

  private void membership(
      InetAddress group, NetworkInterface on, Consumer<Throwable> done, boolean join) {
    InetSocketAddress address = new InetSocketAddress(group, 0);
    ChannelFuture result = join ? channel.joinGroup(address, on) : channel.leaveGroup(address, on);
    result.addListener(f -> done.accept(f.isSuccess() ? null : f.cause()));
  }

  @Override
  public void close(Runnable whenClosed) {
    channel.close().addListener(f -> whenClosed.run());
  }
}
