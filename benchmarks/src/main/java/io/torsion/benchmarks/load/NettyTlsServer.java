package io.torsion.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;

/**
 * The raw Netty 4.2 baseline of the TLS load tests: {@code SslHandler} first in the pipeline, then
 * the echo handler of {@link NettyEchoServer} or the plaintext handler of {@link
 * NettyPlaintextServer}, on one event loop, on the engine named ({@code jdk}: {@code
 * SslProvider.JDK}; {@code openssl}: {@code SslProvider.OPENSSL_REFCNT}, netty-tcnative).
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.NettyTlsServer echo|plaintext PORT
 * TRANSPORT ENGINE CERT KEY</pre>
 */
public final class NettyTlsServer {
  private NettyTlsServer() {}

  /** Serves as the arguments say. */
  public static void main(String[] args) throws Exception {
    boolean echo = args[0].equals("echo");
    int port = Integer.parseInt(args[1]);
    NettyFlavour flavour = NettyFlavour.of(args[2]);
    SslContextBuilder builder =
        SslContextBuilder.forServer(new File(args[4]), new File(args[5]))
            .sslProvider(args[3].equals("openssl") ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2");
    if (!echo) {
      builder.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              "http/1.1"));
    }
    SslContext tls = builder.build();
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, flavour.io());
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(flavour.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    if (echo) {
                      ch.pipeline().addLast(new NettyEchoServer.EchoHandler());
                      return;
                    }
                    NettyPlaintextServer.addHandlers(ch.pipeline());
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println(
        "netty-tls-" + args[0] + ": " + flavour.name() + " tls=" + args[3] + " 127.0.0.1:" + port);
    server.closeFuture().sync();
  }
}
