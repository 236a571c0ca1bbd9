package io.torsion.spi;

import io.torsion.ConnectError;
import java.nio.ByteBuffer;

/**
 * What a transport reports about one {@link Socket}, to the runtime's connection. Every call is
 * made on the thread of the socket's {@link Poller}, in the order the events happened: {@link
 * #opened} first (or {@link #connectFailed} instead, for a connection attempt), {@link #closed}
 * last and once.
 */
public interface SocketEvents {
  /** The socket is connected, on {@code poller}'s thread: the protocol is built and started. */
  void opened(Socket socket, Poller poller);

  /**
   * Bytes were read. {@code data} is lent for the duration of the call only; the transport may
   * reuse its memory afterwards.
   */
  void received(ByteBuffer data);

  /** A burst of reads ended: writes made meanwhile are flushed now. */
  void readBurstEnded();

  /** The peer shut down its output (end of stream); the socket is still open. */
  void peerHalfClosed();

  /** An I/O error; the transport closes the socket and then reports {@link #closed()}. */
  void failed(Throwable cause);

  /** The socket is closed. */
  void closed();

  /** {@link Socket#writable()} flipped. */
  void writabilityChanged();

  /** A connection attempt failed before {@link #opened}; nothing follows. */
  void connectFailed(ConnectError error);
}
