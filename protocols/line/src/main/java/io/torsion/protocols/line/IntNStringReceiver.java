package io.torsion.protocols.line;

import java.nio.ByteBuffer;

/**
 * Strings framed by a big-endian unsigned length prefix of {@link #prefixLength()} bytes: Twisted's
 * {@code IntNStringReceiver}. Use {@link Int32StringReceiver}, {@link Int16StringReceiver} or
 * {@link Int8StringReceiver}.
 *
 * <p>A string announced longer than {@link #maxLength()} goes to {@link #lengthLimitExceeded},
 * which closes the connection with a reason, before any of it is buffered. {@link
 * #pauseProducing()} holds delivery: strings already buffered wait for {@link #resumeProducing()}.
 * Once the transport is closing, no further string is delivered, even one that arrived in the same
 * read. Called on the reactor thread.
 */
public abstract class IntNStringReceiver extends FramedStringReceiver {
  private final int prefixLength;
  private final long maxLength;

  IntNStringReceiver(int prefixLength, long maxLength) {
    long largest = (1L << (8 * prefixLength)) - 1;
    if (maxLength < 0 || maxLength > Math.min(largest, Integer.MAX_VALUE - 8)) {
      throw new IllegalArgumentException(
          "maxLength out of range for a " + prefixLength + "-byte prefix: " + maxLength);
    }
    this.prefixLength = prefixLength;
    this.maxLength = maxLength;
  }

  /** Called with each string, without its prefix; the buffer is lent for the call. */
  public abstract void stringReceived(ByteBuffer string);

  /**
   * Called when a prefix announces a string longer than {@link #maxLength()}; no more strings are
   * delivered. The default closes the connection with a reason.
   */
  public void lengthLimitExceeded(long length) {
    transport()
        .loseConnection("string of " + length + " bytes announced, over the limit of " + maxLength);
  }

  /** Returns the size of the length prefix, in bytes. */
  public final int prefixLength() {
    return prefixLength;
  }

  /** Returns the longest string accepted, in bytes. */
  public final long maxLength() {
    return maxLength;
  }

  @Override
  boolean deliverOne() {
    if (stopped() || buffer.size() < prefixLength) {
      return false;
    }
    long length = 0;
    for (int i = 0; i < prefixLength; i++) {
      length = (length << 8) | (buffer.get(i) & 0xFF);
    }
    if (length > maxLength) {
      stop();
      lengthLimitExceeded(length);
      return false;
    }
    int frame = prefixLength + (int) length;
    if (buffer.size() < frame) {
      return false;
    }
    stringReceived(buffer.view(prefixLength, (int) length));
    buffer.consume(frame);
    return true;
  }

  /**
   * Writes {@code string} with its length prefix.
   *
   * @throws IllegalArgumentException if it is longer than the prefix can announce
   */
  public void sendString(byte[] string) {
    long largest = (1L << (8 * prefixLength)) - 1;
    if (string.length > largest) {
      throw new IllegalArgumentException(
          "string of "
              + string.length
              + " bytes is too long for a "
              + prefixLength
              + "-byte length prefix (at most "
              + largest
              + ")");
    }
    ByteBuffer out = ByteBuffer.allocate(prefixLength + string.length);
    for (int i = prefixLength - 1; i >= 0; i--) {
      out.put((byte) (string.length >>> (8 * i)));
    }
    out.put(string).flip();
    transport().write(out);
  }
}
