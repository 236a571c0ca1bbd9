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

  /**
   * A burst of reads ended: writes made meanwhile are flushed now, and only then is it judged
   * whether output is backed up (reads follow writes), so that an echo's writes are gathered. A
   * burst is what one readiness event reads: at most {@link #MAX_BURST_BYTES} bytes.
   */
  void readBurstEnded();

  /**
   * The most a transport reads in one burst (16 reads of 64 KiB, as Netty's stream channels read):
   * what a connection may queue beyond its high watermark before its reads are held.
   */
  int MAX_BURST_BYTES = 16 * 64 * 1024;

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
