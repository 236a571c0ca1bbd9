package io.torsion.protocols.line;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes a framing protocol has received but not yet consumed: appended at the end, consumed
 * from the start, searched for delimiters without rescanning what was already searched.
 */
final class ByteAccumulator {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private byte[] bytes = new byte[256];
  private int start;
  private int end;

  int size() {
    return end - start;
  }

  void append(ByteBuffer data) {
    int length = data.remaining();
    if (end + length > bytes.length) {
      int size = size();
      if (size + length <= bytes.length / 2) {
        System.arraycopy(bytes, start, bytes, 0, size); // enough room once compacted
      } else {
        byte[] grown = new byte[Math.max(bytes.length * 2, size + length)];
        System.arraycopy(bytes, start, grown, 0, size);
        bytes = grown;
      }
      start = 0;
      end = size;
    }
    data.get(bytes, end, length);
    end += length;
  }

  /**
   * Returns the offset from the start of the first {@code delimiter} at or after {@code from}, or
   * -1. Looks for the delimiter's first byte eight bytes at a time (SWAR), which is what makes long
   * lines cheap.
   */
  int indexOf(byte[] delimiter, int from) {
    int last = end - delimiter.length;
    int i = start + from;
    while (i <= last) {
      int candidate = findByte(delimiter[0], i, last + 1);
      if (candidate < 0) {
        return -1;
      }
      if (matchesAt(delimiter, candidate)) {
        return candidate - start;
      }
      i = candidate + 1;
    }
    return -1;
  }

  /** Returns the index of the first {@code value} in {@code [from, to)}, or -1. */
  private int findByte(byte value, int from, int to) {
    long pattern = ONES * (value & 0xFF);
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i) ^ pattern; // a zero byte where value is
      long zeros = (word - ONES) & ~word & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private boolean matchesAt(byte[] delimiter, int at) {
    for (int j = 1; j < delimiter.length; j++) {
      if (bytes[at + j] != delimiter[j]) {
        return false;
      }
    }
    return true;
  }

  /** Returns the byte at {@code offset} from the start. */
  byte get(int offset) {
    return bytes[start + offset];
  }

  /** Returns a view of {@code length} bytes at {@code offset}, valid until the next change. */
  ByteBuffer view(int offset, int length) {
    return ByteBuffer.wrap(bytes, start + offset, length).slice();
  }

  /** Drops {@code count} bytes from the start. */
  void consume(int count) {
    start += count;
    if (start == end) {
      start = 0;
      end = 0;
    }
  }

  /** Removes and returns everything held. */
  ByteBuffer takeAll() {
    ByteBuffer all = ByteBuffer.wrap(Arrays.copyOfRange(bytes, start, end));
    start = 0;
    end = 0;
    return all;
  }
}
