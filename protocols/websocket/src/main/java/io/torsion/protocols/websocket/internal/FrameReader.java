package io.torsion.protocols.websocket.internal;

import java.nio.ByteBuffer;

/**
 * An incremental parser of WebSocket frames (RFC 6455 5.2), fed bytes as they arrive in pieces of
 * any size: it checks each header against the rules (reserved bits, reserved opcodes, control
 * frames short and unfragmented, masking as the role requires, the frame size limit) and hands the
 * payload on unmasked, piece by piece, so a large frame is never held whole here. What breaks a
 * rule throws a {@link ProtocolViolation}; after one, the reader accepts nothing more.
 */
public final class FrameReader {
  /** Receives the frames. */
  public interface Handler {
    /** A frame starts; {@code length} is its payload's. */
    void frameStart(int opcode, boolean fin, boolean rsv1, long length);

    /** A piece of the current frame's payload, unmasked; valid only during the call. */
    void framePayload(ByteBuffer piece);

    /** The current frame's payload is complete. */
    void frameEnd();
  }

  private static final int SCRATCH = 16 * 1024;

  private final boolean masked; // the peer must mask (it is a client) or must not (a server)
  private final long maxFrameSize;
  private boolean rsv1Allowed;
  private final byte[] head = new byte[14];
  private int headHave;
  private int headNeed = 2;
  private long remaining = -1; // payload bytes left of the current frame; -1 between frames
  private int mask; // the four bytes of the current frame's masking key, first in the top byte
  private int maskIndex;
  private byte[] scratch;
  private boolean failed;

  /**
   * Creates a reader.
   *
   * @param masked true on a server (client frames must be masked), false on a client
   * @param maxFrameSize the largest payload a frame may declare; larger ones are 1009
   */
  public FrameReader(boolean masked, long maxFrameSize) {
    this.masked = masked;
    this.maxFrameSize = maxFrameSize;
  }

  /** Lets data frames set RSV1: {@code permessage-deflate} was negotiated. */
  public void allowRsv1() {
    rsv1Allowed = true;
  }

  /** Returns whether no frame is partly read: the last one ended and the next has not begun. */
  public boolean betweenFrames() {
    return remaining < 0 && headHave == 0;
  }

  /**
   * Parses all of {@code data}, calling {@code handler} for what it completes.
   *
   * @throws ProtocolViolation when a frame breaks a rule (the reader is then done)
   */
  public void feed(ByteBuffer data, Handler handler) {
    if (failed) {
      return;
    }
    try {
      while (data.hasRemaining()) {
        if (remaining < 0) {
          if (!readHead(data, handler)) {
            return;
          }
        } else {
          payload(data, handler);
        }
      }
    } catch (ProtocolViolation violation) {
      failed = true;
      throw violation;
    }
  }

  private boolean readHead(ByteBuffer data, Handler handler) {
    while (headHave < headNeed) {
      if (!data.hasRemaining()) {
        return false;
      }
      head[headHave++] = data.get();
      if (headHave == 2) {
        checkFirstTwo();
      }
    }
    int b0 = head[0] & 0xFF;
    int opcode = b0 & 0x0F;
    boolean fin = (b0 & 0x80) != 0;
    int len7 = head[1] & 0x7F;
    long length;
    int at = 2;
    if (len7 == 126) {
      length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      at = 4;
    } else if (len7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (head[i] & 0xFF);
      }
      if (length < 0) {
        throw new ProtocolViolation(1002, "a 64-bit payload length with its top bit set");
      }
      at = 10;
    } else {
      length = len7;
    }
    if (length > maxFrameSize) {
      throw new ProtocolViolation(
          1009, "a frame of " + length + " bytes, over the limit of " + maxFrameSize);
    }
    if (masked) {
      mask =
          (head[at] & 0xFF) << 24
              | (head[at + 1] & 0xFF) << 16
              | (head[at + 2] & 0xFF) << 8
              | (head[at + 3] & 0xFF);
    }
    maskIndex = 0;
    headHave = 0;
    headNeed = 2;
    remaining = length;
    handler.frameStart(opcode, fin, (b0 & 0x40) != 0, length);
    if (length == 0) {
      remaining = -1;
      handler.frameEnd();
    }
    return true;
  }

  /** Checks the first two bytes and works out how long the header is. */
  private void checkFirstTwo() {
    int b0 = head[0] & 0xFF;
    int b1 = head[1] & 0xFF;
    int opcode = b0 & 0x0F;
    if ((b0 & 0x30) != 0) {
      throw new ProtocolViolation(1002, "RSV2 or RSV3 set without an extension that defines them");
    }
    if ((b0 & 0x40) != 0 && (!rsv1Allowed || opcode == Opcodes.CONTINUATION || opcode >= 8)) {
      throw new ProtocolViolation(
          1002,
          rsv1Allowed
              ? "RSV1 set on a control or continuation frame"
              : "RSV1 set without permessage-deflate");
    }
    if (!Opcodes.isDefined(opcode)) {
      throw new ProtocolViolation(1002, "reserved opcode " + opcode);
    }
    int len7 = b1 & 0x7F;
    if (Opcodes.isControl(opcode)) {
      if ((b0 & 0x80) == 0) {
        throw new ProtocolViolation(1002, "a fragmented control frame");
      }
      if (len7 > 125) {
        throw new ProtocolViolation(1002, "a control frame longer than 125 bytes");
      }
    }
    boolean maskBit = (b1 & 0x80) != 0;
    if (maskBit != masked) {
      throw new ProtocolViolation(
          1002, masked ? "an unmasked frame from a client" : "a masked frame from a server");
    }
    headNeed = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
  }

  /** Unmasks the first {@code n} bytes of the scratch array, eight at a time where it can. */
  private void unmask(int n) {
    ByteBuffer view = ByteBuffer.wrap(scratch);
    long keys = 0;
    for (int k = 0; k < 8; k++) { // the mask from where this piece starts in it, twice
      keys = (keys << 8) | maskByte(maskIndex + k);
    }
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      view.putLong(i, view.getLong(i) ^ keys);
    }
    for (; i < n; i++) {
      scratch[i] ^= (byte) maskByte(maskIndex + i);
    }
    maskIndex = (maskIndex + n) & 3;
  }

  /** Returns byte {@code i} (mod 4) of the masking key. */
  private int maskByte(int i) {
    return (mask >>> (24 - 8 * (i & 3))) & 0xFF;
  }

  private void payload(ByteBuffer data, Handler handler) {
    int n = (int) Math.min(remaining, data.remaining());
    if (!masked) {
      ByteBuffer piece = data.slice();
      piece.limit(n);
      data.position(data.position() + n);
      remaining -= n;
      handler.framePayload(piece);
    } else {
      if (scratch == null) {
        scratch = new byte[SCRATCH];
      }
      int left = n;
      while (left > 0) {
        int chunk = Math.min(left, scratch.length);
        data.get(scratch, 0, chunk);
        unmask(chunk);
        left -= chunk;
        remaining -= chunk;
        handler.framePayload(ByteBuffer.wrap(scratch, 0, chunk));
      }
    }
    if (remaining == 0) {
      remaining = -1;
      handler.frameEnd();
    }
  }
}
