package io.torsion.transport.netty.internal;

import io.netty.buffer.ByteBuf;

/** Small helpers over Netty buffers. */
final class ByteBufs {
  private ByteBufs() {}

  /** Copies the readable bytes, leaving the buffer's indexes unchanged. */
  static byte[] copy(ByteBuf data) {
    byte[] bytes = new byte[data.readableBytes()];
    data.getBytes(data.readerIndex(), bytes);
    return bytes;
  }
}
