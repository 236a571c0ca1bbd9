package io.torsion.protocols.echo;

import io.torsion.Protocol;
import java.nio.ByteBuffer;

/**
 * Sends back every byte it receives (RFC 862), without copying: the received buffer is written
 * straight back.
 *
 * <pre>{@code
 * reactor.listenTCP(8000, Factory.of(Echo::new));
 * }</pre>
 */
public final class Echo extends Protocol {
  /** Creates an echo protocol for one connection. */
  public Echo() {}

  @Override
  public void dataReceived(ByteBuffer data) {
    transport().write(data);
  }
}
