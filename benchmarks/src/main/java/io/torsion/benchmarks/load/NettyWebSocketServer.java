package io.torsion.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The raw Netty 4.2 baseline for the WebSocket load test, as Netty's WebSocket server example
 * writes it: {@code HttpServerCodec}, {@code HttpObjectAggregator} and {@code
 * WebSocketServerProtocolHandler} (which answers pings and closes), then a handler that writes each
 * text and binary frame back and flushes when the read burst ends; one event loop; frames up to 2
 * MiB, no compression. The benchmark's reference point, not a Torsion component.
 *
 * <pre>
 * java -cp benchmarks.jar io.torsion.benchmarks.load.NettyWebSocketServer PORT epoll|io_uring|nio
 * </pre>
 */
public final class NettyWebSocketServer {
  private NettyWebSocketServer() {}

  /** Writes every data frame back, as it came. */
  @ChannelHandler.Sharable
  static final class EchoFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
    EchoFrames() {
      super(false); // the frame is handed to the write, which releases it
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        ctx.write(frame, ctx.voidPromise());
      } else {
        frame.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Serves {@code /ws} on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    NettyFlavour flavour = NettyFlavour.of(args.length < 2 ? "epoll" : args[1]);
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, flavour.io());
    WebSocketServerProtocolConfig config =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .maxFramePayloadLength(TorsionWebSocketServer.MAX_MESSAGE)
            .build();
    EchoFrames echo = new EchoFrames();
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(flavour.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(65536),
                            new WebSocketServerProtocolHandler(config),
                            echo);
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println("netty-websocket: " + flavour.name() + " 127.0.0.1:" + port);
    server.closeFuture().sync();
  }
}
