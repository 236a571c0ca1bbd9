package io.torsion.transport.windows;

import io.torsion.spi.DatagramEvents;
import io.torsion.spi.DatagramSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A UDP socket for the {@code iocp} transport: the JDK has no asynchronous datagram channel, so a
 * non-blocking {@link DatagramChannel} is read by a thread of its own (one per port, waiting in a
 * {@link Selector}) that copies each datagram and posts it to the owning loop; sends and options
 * run on the loop's thread. A datagram over the limit (the read buffer is one byte larger, so that
 * one shows) is reported oversized; an ICMP port unreachable is reported refused.
 */
final class IocpDatagramSocket implements DatagramSocket {
  private static final System.Logger LOG = System.getLogger(IocpDatagramSocket.class.getName());

  private final IocpNetwork network;
  private final IocpLoop loop;
  private final DatagramChannel channel;
  private final Selector selector;
  private final int maxDatagramSize;
  private final DatagramEvents events;
  private final Map<String, MembershipKey> groups = new HashMap<>();
  private volatile Runnable whenClosed;

  IocpDatagramSocket(
      IocpNetwork network,
      IocpLoop loop,
      DatagramChannel channel,
      int maxDatagramSize,
      DatagramEvents events)
      throws IOException {
    this.network = network;
    this.loop = loop;
    this.channel = channel;
    this.maxDatagramSize = maxDatagramSize;
    this.events = events;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
    loop.track(channel);
    Thread reader = new Thread(this::readLoop, "torsion-iocp-udp-" + localAddress().getPort());
    reader.setDaemon(true);
    reader.start();
  }

  /** The reader thread: waits for datagrams and posts a copy of each to the loop. */
  private void readLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(maxDatagramSize + 1);
    try {
      while (channel.isOpen()) {
        selector.select();
        selector.selectedKeys().clear();
        SocketAddress sender;
        while ((sender = receive(buffer)) != null) {
          InetSocketAddress from = (InetSocketAddress) sender;
          buffer.flip();
          if (buffer.remaining() > maxDatagramSize) {
            network.post(loop, () -> events.oversized(from));
          } else {
            ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            network.post(loop, () -> events.received(copy, from));
          }
          buffer.clear();
        }
      }
    } catch (ClosedChannelException | ClosedSelectorException closed) {
      // closed: the thread ends
    } catch (IOException e) {
      if (channel.isOpen()) {
        network.post(loop, () -> events.failed(e));
      }
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a UDP selector: {0}", e);
      }
      Runnable closedTask = whenClosed;
      if (closedTask != null) {
        closedTask.run();
      }
    }
  }

  /** Receives one datagram, or null if none is waiting; reports an ICMP refusal and goes on. */
  private SocketAddress receive(ByteBuffer buffer) throws IOException {
    while (true) {
      try {
        return channel.receive(buffer);
      } catch (PortUnreachableException refused) {
        network.post(loop, events::refused);
      }
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the UDP socket is closed", e);
    }
  }

  @Override
  public void send(ByteBuffer data, InetSocketAddress to) {
    try {
      if (to == null) {
        channel.write(data.duplicate());
      } else {
        channel.send(data.duplicate(), to);
      }
    } catch (PortUnreachableException refused) {
      events.refused();
    } catch (IOException e) {
      events.failed(e);
    }
  }

  @Override
  public void connect(InetSocketAddress peer, Consumer<Throwable> done) {
    try {
      channel.connect(peer);
      done.accept(null);
    } catch (IOException e) {
      done.accept(e);
    }
  }

  @Override
  public void setBroadcast(boolean on) {
    option(StandardSocketOptions.SO_BROADCAST, on);
  }

  @Override
  public void setMulticastLoopback(boolean on) {
    option(StandardSocketOptions.IP_MULTICAST_LOOP, on);
  }

  @Override
  public void setMulticastTimeToLive(int ttl) {
    option(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
  }

  private <T> void option(java.net.SocketOption<T> name, T value) {
    try {
      channel.setOption(name, value);
    } catch (IOException e) {
      events.failed(e);
    }
  }

  @Override
  public void joinGroup(InetAddress group, NetworkInterface on, Consumer<Throwable> done) {
    try {
      groups.put(group + "%" + on.getName(), channel.join(group, on));
      done.accept(null);
    } catch (IOException | RuntimeException e) {
      done.accept(e);
    }
  }

  @Override
  public void leaveGroup(InetAddress group, NetworkInterface on, Consumer<Throwable> done) {
    MembershipKey key = groups.remove(group + "%" + on.getName());
    if (key == null) {
      done.accept(new IllegalStateException("not a member of " + group + " on " + on.getName()));
      return;
    }
    key.drop();
    done.accept(null);
  }

  @Override
  public void close(Runnable whenClosed) {
    this.whenClosed = whenClosed;
    loop.untrack(channel);
    try {
      channel.close(); // the reader thread's select returns, it closes the selector and runs it
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a UDP socket: {0}", e);
    }
    selector.wakeup();
  }
}
