package io.torsion;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A bound UDP port, as its {@link DatagramProtocol} sees it (Twisted's UDP {@code Port}). Its
 * methods belong to the reactor thread (or an {@link Inline} body). Writes copy what they need and
 * never block; a datagram the kernel cannot take is dropped, as UDP allows.
 */
public interface DatagramTransport {
  /** Sends the remaining bytes of {@code data} as one datagram to {@code to}. */
  void write(ByteBuffer data, InetSocketAddress to);

  /** Sends {@code data} as one datagram to {@code to}. */
  default void write(byte[] data, InetSocketAddress to) {
    write(ByteBuffer.wrap(data), to);
  }

  /**
   * Sends the remaining bytes of {@code data} to the address this port is connected to.
   *
   * @throws IllegalStateException if it is not connected
   */
  void write(ByteBuffer data);

  /**
   * Connects this port to one peer (an IP address, as Twisted: no name lookup): from then on it
   * receives only that peer's datagrams, {@link #write(ByteBuffer)} sends to it, and an ICMP port
   * unreachable from it calls {@link DatagramProtocol#connectionRefused()}.
   *
   * @throws IllegalArgumentException if {@code host} is not an IP address
   */
  void connect(String host, int port);

  /** Returns the address this port is connected to, or null. */
  InetSocketAddress connectedTo();

  /** Returns the address bound, with the real port when 0 was asked for. */
  InetSocketAddress getHost();

  /** Allows or forbids sending to broadcast addresses ({@code SO_BROADCAST}; off at first). */
  void setBroadcastAllowed(boolean allowed);

  /** Returns whether sending to broadcast addresses is allowed. */
  boolean broadcastAllowed();

  /**
   * Joins the multicast group {@code group} on the interface that has the address {@code
   * interfaceAddress} (null: the system's choice); fires once joined, or fails with the reason.
   */
  Deferred<Void> joinGroup(String group, String interfaceAddress);

  /** Leaves a group joined with {@link #joinGroup}; fires once left, or fails with the reason. */
  Deferred<Void> leaveGroup(String group, String interfaceAddress);

  /** Whether this host's own multicast datagrams come back to it ({@code IP_MULTICAST_LOOP}). */
  void setLoopbackMode(boolean loopback);

  /** Sets the time-to-live (hop limit) of multicast datagrams sent ({@code IP_MULTICAST_TTL}). */
  void setTTL(int ttl);

  /** Returns how many datagrams arrived larger than the port's maximum and were dropped. */
  long oversizedDropped();

  /**
   * Stops listening: the socket is closed, {@link DatagramProtocol#stopProtocol()} is called, and
   * the Deferred fires, on the reactor thread.
   */
  Deferred<Void> stopListening();
}
