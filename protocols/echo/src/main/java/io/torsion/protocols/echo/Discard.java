package io.torsion.protocols.echo;

import io.torsion.Protocol;
import java.nio.ByteBuffer;

/** Reads and throws away everything it receives (RFC 863), counting the bytes. */
public final class Discard extends Protocol {
  private long discarded;

  /** Creates a discard protocol for one connection. */
  public Discard() {}

  @Override
  public void dataReceived(ByteBuffer data) {
    discarded += data.remaining();
  }

  /** Returns how many bytes this connection has discarded. */
  public long discarded() {
    return discarded;
  }
}
