package io.torsion.protocols.line;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Strings framed as netstrings ({@code 5:hello,}): Twisted's {@code NetstringReceiver}.
 *
 * <pre>{@code
 * final class Echo extends NetstringReceiver {
 *     public void stringReceived(ByteBuffer string) { sendString(copy(string)); }
 * }
 * }</pre>
 *
 * <p>Malformed framing (a length that is not decimal digits, a leading zero, a missing comma) goes
 * to {@link #netstringMalformed}, an announced length over {@link #maxLength()} to {@link
 * #lengthLimitExceeded}; both close the connection with a reason by default, and no more strings
 * are delivered. {@link #pauseProducing()} holds delivery: strings already buffered wait for {@link
 * #resumeProducing()}. Once the transport is closing, no further string is delivered, even one that
 * arrived in the same read. Called on the reactor thread.
 */
public abstract class NetstringReceiver extends FramedStringReceiver {
  /** The default {@link #maxLength()}, as in Twisted. */
  public static final long DEFAULT_MAX_LENGTH = 99999;

  private final long maxLength;
  private final int maxDigits;

  /** Creates a receiver with the default limit. */
  protected NetstringReceiver() {
    this(DEFAULT_MAX_LENGTH);
  }

  /** Creates a receiver accepting strings of at most {@code maxLength} bytes. */
  protected NetstringReceiver(long maxLength) {
    if (maxLength < 0 || maxLength > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxLength out of range: " + maxLength);
    }
    this.maxLength = maxLength;
    this.maxDigits = Long.toString(maxLength).length();
  }

  /** Called with each string; the buffer is lent for the call. */
  public abstract void stringReceived(ByteBuffer string);

  /** Called when the framing is malformed; the default closes the connection with a reason. */
  public void netstringMalformed(String why) {
    transport().loseConnection("malformed netstring: " + why);
  }

  /**
   * Called when a string is announced longer than the limit, with the announced length or, when its
   * digits alone exceed the limit (they are not read further), a lower bound of it. The default
   * closes the connection with a reason.
   */
  public void lengthLimitExceeded(long announcedAtLeast) {
    transport()
        .loseConnection(
            "netstring announced at least "
                + announcedAtLeast
                + " bytes, over the limit of "
                + maxLength);
  }

  /** Returns the longest string accepted, in bytes. */
  public final long maxLength() {
    return maxLength;
  }

  @Override
  boolean deliverOne() {
    if (stopped() || buffer.size() == 0) {
      return false;
    }
    int colon = -1;
    long length = 0;
    int scan = Math.min(buffer.size(), maxDigits + 1);
    for (int i = 0; i < scan; i++) {
      byte b = buffer.get(i);
      if (b == ':') {
        colon = i;
        break;
      }
      if (b < '0' || b > '9') {
        fail("length is not a decimal number (byte 0x" + Integer.toHexString(b & 0xFF) + ")");
        return false;
      }
      length = length * 10 + (b - '0');
    }
    if (colon < 0) {
      if (buffer.size() > maxDigits) {
        stop();
        lengthLimitExceeded(length);
      }
      return false; // the length is still arriving
    }
    if (colon == 0) {
      fail("empty length");
      return false;
    }
    if (colon > 1 && buffer.get(0) == '0') {
      fail("length has a leading zero");
      return false;
    }
    if (length > maxLength) {
      stop();
      lengthLimitExceeded(length);
      return false;
    }
    int frame = colon + 1 + (int) length + 1;
    if (buffer.size() < frame) {
      return false;
    }
    if (buffer.get(frame - 1) != ',') {
      fail("missing the trailing comma after " + length + " bytes");
      return false;
    }
    stringReceived(buffer.view(colon + 1, (int) length));
    buffer.consume(frame);
    return true;
  }

  private void fail(String why) {
    stop();
    netstringMalformed(why);
  }

  /** Writes {@code string} as a netstring. */
  public void sendString(byte[] string) {
    byte[] head = (string.length + ":").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(head.length + string.length + 1);
    out.put(head).put(string).put((byte) ',').flip();
    transport().write(out);
  }
}
