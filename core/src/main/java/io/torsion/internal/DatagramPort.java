package io.torsion.internal;

import io.torsion.DatagramProtocol;
import io.torsion.DatagramTransport;
import io.torsion.Deferred;
import io.torsion.spi.DatagramEvents;
import io.torsion.spi.DatagramSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A UDP port of a {@link DefaultReactor} over a transport's {@link DatagramSocket}: the {@link
 * DatagramTransport} its protocol writes to, and the {@link DatagramEvents} the socket reports,
 * turned into the protocol's callbacks (what they throw is logged; the port goes on). Threads: the
 * main loop's, as the socket's (an inline body's calls are handed to it).
 */
final class DatagramPort implements DatagramTransport, DatagramEvents {
  private static final System.Logger LOG = System.getLogger(DatagramTransport.class.getName());
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final DefaultReactor reactor;
  private final Loop loop;
  private final DatagramProtocol protocol;
  private final int maxDatagramSize;
  private DatagramSocket socket;
  private InetSocketAddress connected;
  private boolean broadcast;
  private long oversized;
  private Deferred<Void> stopped;

  DatagramPort(DefaultReactor reactor, Loop loop, DatagramProtocol protocol, int maxDatagramSize) {
    this.reactor = reactor;
    this.loop = loop;
    this.protocol = protocol;
    this.maxDatagramSize = maxDatagramSize;
  }

  /** The socket is bound: the protocol starts. */
  void bound(DatagramSocket socket) {
    this.socket = socket;
    Contained.run(() -> protocol.makeConnection(this), protocol, "startProtocol");
  }

  // ---------------------------------------------------------------- the socket's events

  @Override
  public void received(ByteBuffer data, InetSocketAddress sender) {
    if (stopped == null) {
      Contained.run(() -> protocol.datagramReceived(data, sender), protocol, "datagramReceived");
    }
  }

  @Override
  public void oversized(InetSocketAddress sender) {
    oversized++;
    LOG.log(
        oversized == 1 ? Level.WARNING : Level.DEBUG,
        "{0}: dropped a datagram from {1} larger than {2} bytes (DatagramOptions.maxDatagramSize);"
            + " {3} so far",
        this,
        sender,
        maxDatagramSize,
        oversized);
  }

  @Override
  public void refused() {
    if (stopped == null) {
      Contained.run(protocol::connectionRefused, protocol, "connectionRefused");
    }
  }

  @Override
  public void failed(Throwable error) {
    LOG.log(Level.DEBUG, "{0}: {1}", this, error.toString());
  }

  // ---------------------------------------------------------------- the protocol's transport

  @Override
  public void write(ByteBuffer data, InetSocketAddress to) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(to, "to");
    send(data, to, "write");
  }

  @Override
  public void write(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    if (connected == null) {
      throw new IllegalStateException("write(data) needs a connected port: connect(host, port)");
    }
    send(data, null, "write");
  }

  private void send(ByteBuffer data, InetSocketAddress to, String method) {
    reactor.claimMainThread(method);
    if (stopped == null) {
      loop.runOnOwner(() -> socket.send(data, to));
    }
  }

  @Override
  public void connect(String host, int port) {
    reactor.claimMainThread("connect");
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    InetSocketAddress peer = new InetSocketAddress(literal(host, "connect"), port);
    connected = peer;
    loop.runOnOwner(() -> socket.connect(peer, logged("connect to " + peer)));
  }

  @Override
  public InetSocketAddress connectedTo() {
    return connected;
  }

  @Override
  public InetSocketAddress getHost() {
    return socket.localAddress();
  }

  @Override
  public void setBroadcastAllowed(boolean allowed) {
    reactor.claimMainThread("setBroadcastAllowed");
    broadcast = allowed;
    loop.runOnOwner(() -> socket.setBroadcast(allowed));
  }

  @Override
  public boolean broadcastAllowed() {
    return broadcast;
  }

  @Override
  public Deferred<Void> joinGroup(String group, String interfaceAddress) {
    return membership(group, interfaceAddress, true);
  }

  @Override
  public Deferred<Void> leaveGroup(String group, String interfaceAddress) {
    return membership(group, interfaceAddress, false);
  }

  private Deferred<Void> membership(String group, String interfaceAddress, boolean join) {
    String method = join ? "joinGroup" : "leaveGroup";
    reactor.claimMainThread(method);
    Deferred<Void> done = new Deferred<>();
    InetAddress address;
    NetworkInterface networkInterface = null;
    try {
      address = literal(group, method);
      if (!address.isMulticastAddress()) {
        throw new IllegalArgumentException(group + " is not a multicast address");
      }
      if (interfaceAddress != null) {
        networkInterface = NetworkInterface.getByInetAddress(literal(interfaceAddress, method));
        if (networkInterface == null) {
          throw new IllegalArgumentException("no interface has the address " + interfaceAddress);
        }
      } else {
        networkInterface = MulticastInterfaces.defaultFor(socket.localAddress().getAddress());
      }
    } catch (IllegalArgumentException | IOException e) {
      done.errback(e);
      return done;
    }
    InetAddress target = address;
    NetworkInterface on = networkInterface;
    Consumer<Throwable> answer =
        error -> {
          if (error == null) {
            done.callback(null);
          } else {
            done.errback(error);
          }
        };
    loop.runOnOwner(
        () -> {
          if (join) {
            socket.joinGroup(target, on, answer);
          } else {
            socket.leaveGroup(target, on, answer);
          }
        });
    return done;
  }

  @Override
  public void setLoopbackMode(boolean loopback) {
    reactor.claimMainThread("setLoopbackMode");
    loop.runOnOwner(() -> socket.setMulticastLoopback(loopback));
  }

  @Override
  public void setTTL(int ttl) {
    reactor.claimMainThread("setTTL");
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("ttl must be 0 to 255, not " + ttl);
    }
    loop.runOnOwner(() -> socket.setMulticastTimeToLive(ttl));
  }

  @Override
  public long oversizedDropped() {
    return oversized;
  }

  @Override
  public Deferred<Void> stopListening() {
    reactor.claimMainThread("stopListening");
    if (stopped == null) {
      stopped = new Deferred<>();
      loop.runOnOwner(
          () ->
              socket.close(
                  () -> // once the loop has polled again: only then is the socket released
                  loop.execute(
                          () ->
                              loop.afterNextPoll(
                                  () -> {
                                    reactor.datagramPortStopped(this);
                                    Contained.run(protocol::stopProtocol, protocol, "stopProtocol");
                                    stopped.callback(null);
                                  }))));
    }
    return stopped;
  }

  /** Returns the address {@code host} spells, which must be an IP address: no name is looked up. */
  private static InetAddress literal(String host, String method) {
    Objects.requireNonNull(host, "host");
    if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
      throw new IllegalArgumentException(
          method + " takes an IP address, not a name (look it up first): " + host);
    }
    try {
      return InetAddress.getByName(host); // a literal: parsed, never looked up
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address: " + host, e);
    }
  }

  private Consumer<Throwable> logged(String what) {
    return error -> {
      if (error != null) {
        LOG.log(Level.WARNING, "{0}: {1} failed: {2}", this, what, error.toString());
      }
    };
  }

  @Override
  public String toString() {
    return "DatagramPort["
        + (socket == null ? "binding" : socket.localAddress())
        + (connected == null ? "" : " -> " + connected)
        + ", "
        + protocol
        + (stopped == null ? "" : ", stopped")
        + "]";
  }
}
