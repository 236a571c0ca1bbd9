package io.torsion.protocols.line;

/**
 * Strings framed by a 4-byte big-endian length: Twisted's {@code Int32StringReceiver}.
 *
 * <pre>{@code
 * final class Messages extends Int32StringReceiver {
 *     public void stringReceived(ByteBuffer message) { sendString(process(message)); }
 * }
 * }</pre>
 */
public abstract class Int32StringReceiver extends IntNStringReceiver {
  /** The default {@link #maxLength()}: Twisted's default, 99999. */
  public static final long DEFAULT_MAX_LENGTH = 99999;

  /** Creates a receiver with the default limit. */
  protected Int32StringReceiver() {
    this(DEFAULT_MAX_LENGTH);
  }

  /** Creates a receiver accepting strings of at most {@code maxLength} bytes. */
  protected Int32StringReceiver(long maxLength) {
    super(4, maxLength);
  }
}
