package io.torsion.spi;

import io.torsion.PeerCredentials;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One connected socket, as a transport implements it: the operations the runtime's connection
 * needs, and nothing of the protocol above. Every method is called on the thread of the {@link
 * Poller} the socket was opened on; what happens on the wire is reported through the socket's
 * {@link SocketEvents}.
 */
public interface Socket {
  /**
   * Queues {@code data}'s remaining bytes without flushing; the caller moves its position
   * afterwards. {@code lent} is true when {@code data} is the very buffer that {@link
   * SocketEvents#received} is lending now on this thread (to this socket's connection or another),
   * which a transport may send without copying.
   */
  void write(ByteBuffer data, boolean lent);

  /** Starts sending what is queued. */
  void flush();

  /** Sends what is queued, then closes; {@link SocketEvents#closed()} follows. */
  void closeAfterWrites();

  /** Closes now, dropping what is queued; {@link SocketEvents#closed()} follows. */
  void closeNow();

  /** Sends what is queued, then shuts down the output (a FIN); reading goes on. */
  void shutdownOutputAfterWrites();

  /** Starts or stops reading; a read already under way may still be reported. */
  void reading(boolean on);

  /** Returns the bytes queued and not yet handed to the OS (plus any fixed per-write overhead). */
  long queuedBytes();

  /**
   * Returns false once the queue is above the high watermark, and true again once it falls below
   * the low one; report each flip with {@link SocketEvents#writabilityChanged()}.
   */
  boolean writable();

  /** Returns the local address, or null if unknown. */
  SocketAddress localAddress();

  /** Returns the peer's address, or null if unknown. */
  SocketAddress remoteAddress();

  /** Returns the kernel's word on the peer of a UNIX domain socket, or null (TCP, or unknown). */
  default PeerCredentials peerCredentials() {
    return null;
  }

  /** Returns a short identity for logs, such as a channel id; by default, the identity hash. */
  default String id() {
    return Integer.toHexString(System.identityHashCode(this));
  }
}
