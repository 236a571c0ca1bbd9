package io.torsion.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;

/**
 * The raw Netty 4.2 baseline for the echo load test, as Netty's own echo example writes it: one
 * shared handler that writes every read back and flushes when the read burst ends, on one event
 * loop, with Netty's default settings. The benchmark's reference point, not a Torsion component.
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.NettyEchoServer PORT epoll|io_uring|nio
 * </pre>
 */
public final class NettyEchoServer {
  private NettyEchoServer() {}

  /** Writes back what it reads. */
  @ChannelHandler.Sharable
  static final class EchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
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

  /** Serves echo on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    NettyFlavour flavour = NettyFlavour.of(args.length < 2 ? "epoll" : args[1]);
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, flavour.io());
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(flavour.serverChannel())
            .childHandler(new EchoHandler())
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println("netty-echo: " + flavour.name() + " 127.0.0.1:" + port);
    server.closeFuture().sync();
  }
}
