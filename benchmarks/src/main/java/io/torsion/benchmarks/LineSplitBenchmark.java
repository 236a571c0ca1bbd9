package io.torsion.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.torsion.protocols.line.LineOptions;
import io.torsion.protocols.line.LineReceiver;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Splitting a stream of CRLF lines, delivered in socket-sized reads: Torsion's {@link LineReceiver}
 * (lines as bytes, no decoding) against Netty's {@link LineBasedFrameDecoder} in the same run. Each
 * operation splits 1 MiB of input, in 16 KiB reads, into its lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineSplitBenchmark {
  private static final int INPUT = 1 << 20;
  private static final int READ = 16 * 1024;

  /** Short lines (commands, chat) or long ones (log lines, JSON). */
  @Param({"short", "long"})
  public String lines;

  private List<byte[]> reads;
  private StringTransport transport;
  private Counting torsion;
  private EmbeddedChannel netty;
  private CountingHandler nettyCount;

  /** Counts lines and bytes without decoding, as the Netty baseline does. */
  static final class Counting extends LineReceiver {
    long count;
    long bytes;

    Counting() {
      super(LineOptions.builder().maxLength(8192).build());
    }

    @Override
    public void lineBytesReceived(ByteBuffer line) {
      count++;
      bytes += line.remaining();
    }

    @Override
    public void lineReceived(String line) {}
  }

  /** Counts and releases Netty's frames. */
  static final class CountingHandler extends ChannelInboundHandlerAdapter {
    long count;
    long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      count++;
      bytes += frame.readableBytes();
      frame.release();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    int min = lines.equals("short") ? 8 : 500;
    int max = lines.equals("short") ? 40 : 4000;
    StringBuilder text = new StringBuilder();
    while (text.length() < INPUT) {
      int length = min + random.nextInt(max - min);
      for (int i = 0; i < length; i++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      text.append("\r\n");
    }
    byte[] all = text.toString().getBytes(StandardCharsets.US_ASCII);
    reads = new ArrayList<>();
    for (int at = 0; at < all.length; at += READ) {
      byte[] read = new byte[Math.min(READ, all.length - at)];
      System.arraycopy(all, at, read, 0, read.length);
      reads.add(read);
    }
    transport = new StringTransport();
    torsion = transport.connect(new Counting());
    nettyCount = new CountingHandler();
    netty = new EmbeddedChannel(new LineBasedFrameDecoder(8192, true, false), nettyCount);
  }

  @Benchmark
  public long torsionLineReceiver() {
    for (byte[] read : reads) {
      torsion.dataReceived(ByteBuffer.wrap(read));
    }
    return torsion.count;
  }

  @Benchmark
  public long nettyLineBasedFrameDecoder() {
    for (byte[] read : reads) {
      netty.writeInbound(Unpooled.wrappedBuffer(read));
    }
    return nettyCount.count;
  }
}
