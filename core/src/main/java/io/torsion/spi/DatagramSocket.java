package io.torsion.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A bound UDP socket, as a transport implements it; every method is called on the owner thread of
 * the poller it was bound on. Operations that complete later report to a {@code done} callback, on
 * that thread: null for success, else the error.
 */
public interface DatagramSocket {
  /** Returns the address bound, with the real port when 0 was asked for. */
  InetSocketAddress localAddress();

  /**
   * Sends the remaining bytes of {@code data} (copied before this returns) as one datagram to
   * {@code to}, or to the connected peer when {@code to} is null.
   */
  void send(ByteBuffer data, InetSocketAddress to);

  /** Connects the socket to {@code peer}. */
  void connect(InetSocketAddress peer, Consumer<Throwable> done);

  /** Sets {@code SO_BROADCAST}. */
  void setBroadcast(boolean on);

  /** Sets {@code IP_MULTICAST_LOOP}. */
  void setMulticastLoopback(boolean on);

  /** Sets {@code IP_MULTICAST_TTL}. */
  void setMulticastTimeToLive(int ttl);

  /** Joins {@code group} on {@code networkInterface} (never null: the runtime chooses one). */
  void joinGroup(InetAddress group, NetworkInterface networkInterface, Consumer<Throwable> done);

  /** Leaves {@code group} on {@code networkInterface}. */
  void leaveGroup(InetAddress group, NetworkInterface networkInterface, Consumer<Throwable> done);

  /** Closes the socket, then runs {@code whenClosed}, on any thread. */
  void close(Runnable whenClosed);
}
