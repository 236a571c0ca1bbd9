package io.torsion.protocols.websocket.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes WebSocket frames (RFC 6455 5.2): the header with the shortest length form, and, from a
 * client, the payload masked with a fresh random key per frame.
 */
public final class FrameWriter {
  private FrameWriter() {}

  /**
   * Returns the header alone of an unmasked frame whose payload of {@code length} bytes follows it
   * on the wire, so that a large payload is written as it is rather than copied behind a header.
   */
  public static ByteBuffer header(int opcode, boolean fin, boolean rsv1, int length) {
    ByteBuffer out = ByteBuffer.allocate(2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8));
    out.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
    if (length < 126) {
      out.put((byte) length);
    } else if (length <= 0xFFFF) {
      out.put((byte) 126);
      out.putShort((short) length);
    } else {
      out.put((byte) 127);
      out.putLong(length);
    }
    return out.flip();
  }

  /**
   * Returns one frame carrying the remaining bytes of {@code payload} (not consumed), header and
   * payload in one buffer.
   */
  public static ByteBuffer frame(
      int opcode, boolean fin, boolean rsv1, ByteBuffer payload, boolean mask) {
    int length = payload.remaining();
    int headLength = 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + (mask ? 4 : 0);
    ByteBuffer out = ByteBuffer.allocate(headLength + length);
    out.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
    int maskBit = mask ? 0x80 : 0;
    if (length < 126) {
      out.put((byte) (maskBit | length));
    } else if (length <= 0xFFFF) {
      out.put((byte) (maskBit | 126));
      out.putShort((short) length);
    } else {
      out.put((byte) (maskBit | 127));
      out.putLong(length);
    }
    if (!mask) {
      out.put(payload.duplicate());
      return out.flip();
    }
    int key = ThreadLocalRandom.current().nextInt();
    out.putInt(key);
    long keys = ((long) key << 32) | (key & 0xFFFFFFFFL); // the key twice, for eight bytes at once
    int from = payload.position();
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      out.putLong(payload.getLong(from + i) ^ keys);
    }
    for (; i < length; i++) {
      out.put((byte) (payload.get(from + i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    return out.flip();
  }
}
