package io.torsion.protocols.line;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a framing protocol has received but not yet consumed: appended at the end, consumed
 * from the start, searched for delimiters without rescanning what was already searched.
 */
final class ByteAccumulator {
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

  /** Returns the offset from the start of the first {@code delimiter} at or after {@code from}, or -1. */
  int indexOf(byte[] delimiter, int from) {
    byte first = delimiter[0];
    int last = end - delimiter.length;
    outer:
    for (int i = start + from; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (bytes[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i - start;
    }
    return -1;
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
