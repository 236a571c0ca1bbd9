package io.torsion.protocols.echo;

import io.torsion.DatagramProtocol;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends every datagram back to its sender (RFC 862's UDP echo), without copying it first: the
 * transport copies what it sends.
 *
 * <pre>{@code
 * reactor.listenUDP(7, null, new DatagramEcho());
 * }</pre>
 */
public final class DatagramEcho extends DatagramProtocol {
  private long echoed;

  /** Creates a UDP echo for one port. */
  public DatagramEcho() {}

  @Override
  public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {
    transport().write(data, sender);
    echoed++;
  }

  /** Returns how many datagrams it has sent back. */
  public long echoed() {
    return echoed;
  }
}
