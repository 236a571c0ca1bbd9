package io.torsion.protocols.line;

/**
 * Strings framed by a 1-byte big-endian length: Twisted's {@code Int8StringReceiver}.
 *
 * <pre>{@code
 * final class Messages extends Int8StringReceiver {
 *     public void stringReceived(ByteBuffer message) { sendString(process(message)); }
 * }
 * }</pre>
 */
public abstract class Int8StringReceiver extends IntNStringReceiver {
  /** The default {@link #maxLength()}: 255, all a 1-byte prefix can say. */
  public static final long DEFAULT_MAX_LENGTH = 255;

  /** Creates a receiver with the default limit. */
  protected Int8StringReceiver() {
    this(DEFAULT_MAX_LENGTH);
  }

  /** Creates a receiver accepting strings of at most {@code maxLength} bytes. */
  protected Int8StringReceiver(long maxLength) {
    super(1, maxLength);
  }
}
