package io.torsion.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * The raw Netty 4.2 baseline for the plaintext load test: {@link HttpServerCodec}, a pre-built
 * response, flushed on read-complete; one event loop, as Torsion's default. The benchmark's
 * reference point, not a Torsion component. By default its response has only the two fields the
 * codec needs (78 bytes in all); with {@code -Dnetty.response=same} it has the fields Torsion's has
 * (a {@code Date} made once a second, {@code Server}, the charset: 145 bytes against Torsion's
 * 147), so that the two servers write the same fields.
 *
 * <pre>
 * java -cp benchmarks.jar io.torsion.benchmarks.load.NettyPlaintextServer PORT epoll|io_uring|nio
 * </pre>
 */
public final class NettyPlaintextServer {
  private NettyPlaintextServer() {}

  private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
  private static final ByteBuf CONTENT =
      Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(BODY));

  private static final boolean SAME_RESPONSE = "same".equals(System.getProperty("netty.response"));
  private static final AsciiString SERVER = AsciiString.cached("Netty");
  private static final AsciiString TEXT_UTF8 = AsciiString.cached("text/plain; charset=utf-8");

  /** The {@code Date} field's value and the second it is for, remade when the second changes. */
  private record Stamp(long second, AsciiString value) {
    static volatile Stamp current = new Stamp(-1, AsciiString.EMPTY_STRING);

    static AsciiString now() {
      long millis = System.currentTimeMillis();
      Stamp stamp = current;
      if (stamp.second != millis / 1000) {
        stamp = new Stamp(millis / 1000, new AsciiString(DateFormatter.format(new Date(millis))));
        current = stamp;
      }
      return stamp.value;
    }
  }

  /** Adds the codec and the handler that answers every request with {@code Hello, World!}. */
  static void addHandlers(ChannelPipeline pipeline) {
    pipeline.addLast(
        new HttpServerCodec(),
        new SimpleChannelInboundHandler<HttpRequest>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            FullHttpResponse response =
                new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, CONTENT.duplicate());
            if (SAME_RESPONSE) {
              response
                  .headers()
                  .set(HttpHeaderNames.DATE, Stamp.now())
                  .set(HttpHeaderNames.SERVER, SERVER)
                  .set(HttpHeaderNames.CONTENT_TYPE, TEXT_UTF8)
                  .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            } else {
              response
                  .headers()
                  .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                  .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            }
            ctx.write(response);
          }

          @Override
          public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
          }
        });
  }

  /** Serves {@code GET /plaintext} on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    NettyFlavour flavour = NettyFlavour.of(args.length < 2 ? "epoll" : args[1]);
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, flavour.io());
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(flavour.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    addHandlers(ch.pipeline());
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println("netty-plaintext: " + flavour.name() + " 127.0.0.1:" + port);
    server.closeFuture().sync();
  }
}
