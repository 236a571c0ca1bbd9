package io.torsion.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.nio.NioIoHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A loop reads into one buffer of its own while nothing else holds it (NettyLoop.readBuffer). */
class NettyLoopReadBufferTest {
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final NettyLoop loop = new NettyLoop(NioIoHandler.newFactory());

  @AfterEach
  void destroy() {
    loop.owned(Thread.currentThread());
    loop.destroy();
  }

  @Test
  void aReadGetsTheLoopsBufferAgainOnceTheLastOneIsReleased() {
    ByteBuf first = loop.readBuffer(alloc, 4096);
    assertThat(first.writableBytes()).as("room for the read's share, no more").isEqualTo(4096);
    first.release();
    ByteBuf second = loop.readBuffer(alloc, FairReadSizes.MAX);
    assertThat(second).isSameAs(first);
    assertThat(second.writableBytes()).isEqualTo(FairReadSizes.MAX);
    second.release();
  }

  @Test
  void whileAWriteHoldsTheLoopsBufferAReadGetsOneOfItsOwn() {
    ByteBuf read = loop.readBuffer(alloc, 1024);
    read.writeBytes("held".getBytes(StandardCharsets.US_ASCII));
    ByteBuf heldByAWrite = read.retainedSlice();
    read.release(); // the read is over; the queued write still holds its bytes
    ByteBuf next = loop.readBuffer(alloc, 1024);
    assertThat(next).isNotSameAs(read);
    next.writeBytes("next".getBytes(StandardCharsets.US_ASCII));
    assertThat(heldByAWrite.toString(StandardCharsets.US_ASCII)).isEqualTo("held");
    next.release();
    heldByAWrite.release();
    ByteBuf free = loop.readBuffer(alloc, 1024);
    assertThat(free).as("free again").isSameAs(read);
    free.release();
  }

  @Test
  void theViewOfTheLoopsBufferIsMadeOnceAndCoversExactlyTheBytesRead() {
    ByteBuf read = loop.readBuffer(alloc, 16);
    read.writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer view = loop.view(read);
    assertThat(view.remaining()).isEqualTo(5);
    assertThat(StandardCharsets.US_ASCII.decode(view.duplicate()).toString()).isEqualTo("hello");
    read.release();
    ByteBuf again = loop.readBuffer(alloc, 16);
    again.writeBytes("hi".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer second = loop.view(again);
    assertThat(second).isSameAs(view);
    assertThat(StandardCharsets.US_ASCII.decode(second.duplicate()).toString()).isEqualTo("hi");
    again.release();
  }
}
