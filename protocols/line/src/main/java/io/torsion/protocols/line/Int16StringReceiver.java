package io.torsion.protocols.line;

/**
 * Strings framed by a 2-byte big-endian length: Twisted's {@code Int16StringReceiver}.
 *
 * <pre>{@code
 * final class Messages extends Int16StringReceiver {
 *     public void stringReceived(ByteBuffer message) { sendString(process(message)); }
 * }
 * }</pre>
 */
public abstract class Int16StringReceiver extends IntNStringReceiver {
  /** The default {@link #maxLength()}: 65535, all a 2-byte prefix can say. */
  public static final long DEFAULT_MAX_LENGTH = 65535;

  /** Creates a receiver with the default limit. */
  protected Int16StringReceiver() {
    this(DEFAULT_MAX_LENGTH);
  }

  /** Creates a receiver accepting strings of at most {@code maxLength} bytes. */
  protected Int16StringReceiver(long maxLength) {
    super(2, maxLength);
  }
}
