package io.torsion.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The WebSocket load generator ({@code load/websocket.sh}), the same for every server: raw frames
 * on Netty epoll, one thread, so that what it costs does not depend on the server's library.
 *
 * <ul>
 *   <li>{@code echo PORT CONNECTIONS SIZE WINDOW WARMUP SECONDS}: opens {@code CONNECTIONS}
 *       WebSocket connections to {@code /ws}, keeps {@code WINDOW} masked messages of {@code SIZE}
 *       bytes (text below 64 KiB, binary above) in flight on each, sending the next each time a
 *       whole echo has come back; after {@code WARMUP} seconds counts echoes for {@code SECONDS}
 *       and prints {@code messages/s N MiB/s M}.
 *   <li>{@code idle PORT CONNECTIONS}: opens {@code CONNECTIONS} and holds them without a byte
 *       more; prints {@code open N} once every handshake is done, then waits to be killed.
 * </ul>
 *
 * <p>The echo is counted by its length (the servers send each message back as one unmasked frame),
 * not parsed: the generator stays cheaper than the servers it measures.
 */
public final class WebSocketLoad {
  private static final AtomicLong echoes = new AtomicLong();
  private static final AtomicInteger upgraded = new AtomicInteger();

  private WebSocketLoad() {}

  /** Runs the load; see the class comment. Exits with 1 if it cannot. */
  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("websocket-load: " + e);
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[2]);
    boolean echo = mode.equals("echo");
    int size = echo ? Integer.parseInt(args[3]) : 0;
    int window = echo ? Integer.parseInt(args[4]) : 0;
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    ByteBuf message = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(maskedFrame(size)));
    long echoLength = size + (size < 126 ? 2 : size < 65536 ? 4 : 10);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(EpollSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new Connection(message, echoLength, window));
                  }
                });
    for (int i = 0; i < connections; i++) {
      bootstrap.connect("127.0.0.1", port).sync();
    }
    while (upgraded.get() < connections) {
      Thread.sleep(10);
    }
    if (!echo) {
      System.out.println("open " + connections);
      Thread.sleep(Long.MAX_VALUE);
    }
    Thread.sleep(Integer.parseInt(args[5]) * 1000L);
    long before = echoes.get();
    long start = System.nanoTime();
    Thread.sleep(Integer.parseInt(args[6]) * 1000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    double perSecond = (echoes.get() - before) / elapsed;
    System.out.printf(
        Locale.ROOT, "messages/s %.0f MiB/s %.1f%n", perSecond, perSecond * size / (1 << 20));
    group.shutdownGracefully();
    System.exit(0);
  }

  /** A client frame: FIN, text below 64 KiB (ASCII) and binary above, masked. */
  static byte[] maskedFrame(int size) {
    int header = 2 + (size < 126 ? 0 : size < 65536 ? 2 : 8) + 4;
    byte[] frame = new byte[header + size];
    frame[0] = (byte) (size < 65536 ? 0x81 : 0x82);
    int at = 2;
    if (size < 126) {
      frame[1] = (byte) (0x80 | size);
    } else if (size < 65536) {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (size >>> 8);
      frame[3] = (byte) size;
      at = 4;
    } else {
      frame[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) size >>> (56 - 8 * i));
      }
      at = 10;
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, at, 4);
    for (int i = 0; i < size; i++) {
      frame[header + i] = (byte) (('a' + i % 26) ^ mask[i & 3]);
    }
    return frame;
  }

  /** One connection: the handshake, then the window of messages, refilled echo by echo. */
  private static final class Connection extends ChannelInboundHandlerAdapter {
    private final ByteBuf message;
    private final long echoLength;
    private final int window;
    private final StringBuilder head = new StringBuilder();
    private boolean open;
    private long received;

    Connection(ByteBuf message, long echoLength, int window) {
      this.message = message;
      this.echoLength = echoLength;
      this.window = window;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(
          Unpooled.copiedBuffer(
              "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: "
                  + key()
                  + "\r\nSec-WebSocket-Version: 13\r\n\r\n",
              StandardCharsets.US_ASCII));
    }

    /** A fresh key per connection, as browsers send. */
    private static String key() {
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      return Base64.getEncoder().encodeToString(nonce);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf data = (ByteBuf) msg;
      try {
        if (!open) {
          while (data.isReadable() && !open) {
            head.append((char) data.readByte());
            open = head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4;
          }
          if (!open) {
            return;
          }
          if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("no upgrade: " + head);
          }
          upgraded.incrementAndGet();
          for (int i = 0; i < window; i++) {
            ctx.write(message.duplicate(), ctx.voidPromise());
          }
        }
        received += data.readableBytes();
        while (received >= echoLength) {
          received -= echoLength;
          echoes.incrementAndGet();
          ctx.write(message.duplicate(), ctx.voidPromise());
        }
      } finally {
        data.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("websocket-load: " + cause);
      ctx.close();
    }
  }
}
