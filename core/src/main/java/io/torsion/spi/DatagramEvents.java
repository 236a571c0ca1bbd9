package io.torsion.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** What a transport's {@link DatagramSocket} reports, always on its poller's owner thread. */
public interface DatagramEvents {
  /** A datagram within the size limit arrived; {@code data} is valid only during the call. */
  void received(ByteBuffer data, InetSocketAddress sender);

  /** A datagram larger than the limit arrived and was dropped. */
  void oversized(InetSocketAddress sender);

  /** The connected peer's host answered that nothing listens there (ICMP port unreachable). */
  void refused();

  /** Another error of the socket (it stays open), for the log. */
  void failed(Throwable error);
}
