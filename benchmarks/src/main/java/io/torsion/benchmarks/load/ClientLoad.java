package io.torsion.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import io.torsion.protocols.http.client.ClientRequest;
import io.torsion.protocols.http.client.ClientResponse;
import io.torsion.protocols.http.client.HttpClient;
import io.torsion.protocols.http.client.HttpClientOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP client as the load generator, for the client benchmark ({@code load/client.sh}): {@code
 * CONNECTIONS} keep-alive connections to {@code URL}, one request in flight on each, the next sent
 * when a response is whole; after {@code WARMUP} seconds it counts the responses for {@code
 * SECONDS} and prints {@code requests/s N errors E}. Clients: {@code torsion} (the HTTP client on
 * the best transport), {@code jdk} ({@code java.net.http.HttpClient}, HTTP/1.1) and {@code netty}
 * ({@code HttpClientCodec} and {@code HttpObjectAggregator} on epoll), each on one thread of its
 * own as far as it allows (the JDK's uses its selector thread and a pool).
 *
 * <p>Usage: {@code ClientLoad torsion|jdk|netty URL CONNECTIONS WARMUP SECONDS}
 */
public final class ClientLoad {
  private static final AtomicLong responses = new AtomicLong();
  private static final AtomicLong errors = new AtomicLong();

  private ClientLoad() {}

  /** Runs one client; see the class comment. */
  public static void main(String[] args) throws Exception {
    String client = args[0];
    URI url = URI.create(args[1]);
    int connections = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    Runnable stop =
        switch (client) {
          case "torsion" -> torsion(url, connections);
          case "jdk" -> jdk(url, connections);
          case "netty" -> netty(url, connections);
          default -> throw new IllegalArgumentException("no client " + client);
        };
    Thread.sleep(warmup * 1000L);
    long before = responses.get();
    long failedBefore = errors.get();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long counted = responses.get() - before;
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        java.util.Locale.ROOT,
        "requests/s %.0f errors %d%n",
        counted / elapsed,
        errors.get() - failedBefore);
    stop.run();
    System.exit(0);
  }

  private static Runnable torsion(URI url, int connections) {
    BackgroundReactor background = BackgroundReactor.start(Reactor.create());
    Reactor reactor = background.reactor();
    background.call(
        () -> {
          HttpClient client =
              HttpClient.create(
                  reactor, HttpClientOptions.builder().maxConnectionsPerHost(connections).build());
          ClientRequest request =
              ClientRequest.builder("GET", url).build(); // reused, as the others'
          for (int i = 0; i < connections; i++) {
            torsionLoop(client, request);
          }
          return null;
        });
    return background::close;
  }

  private static void torsionLoop(HttpClient client, ClientRequest request) {
    client
        .request(request)
        .addCallbacks(
            (ClientResponse response) -> {
              if (response.status() == 200) {
                responses.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
              torsionLoop(client, request);
              return null;
            },
            failure -> {
              errors.incrementAndGet();
              torsionLoop(client, request);
              return null;
            });
  }

  private static Runnable jdk(URI url, int connections) {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).build();
    for (int i = 0; i < connections; i++) {
      jdkLoop(client, request);
    }
    return () -> {};
  }

  private static void jdkLoop(java.net.http.HttpClient client, HttpRequest request) {
    client
        .sendAsync(request, BodyHandlers.ofByteArray())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() == 200) {
                responses.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
              jdkLoop(client, request);
            });
  }

  private static Runnable netty(URI url, int connections) throws InterruptedException {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, NettyFlavour.of("epoll").io());
    String host = url.getHost() + ":" + url.getPort();
    String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(EpollSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext context, FullHttpResponse response) {
                                if (response.status().code() == 200) {
                                  responses.incrementAndGet();
                                } else {
                                  errors.incrementAndGet();
                                }
                                context.writeAndFlush(request(host, path));
                              }

                              @Override
                              public void exceptionCaught(
                                  ChannelHandlerContext context, Throwable cause) {
                                errors.incrementAndGet();
                                context.close();
                              }
                            });
                  }
                });
    CountDownLatch connected = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      bootstrap
          .connect(url.getHost(), url.getPort())
          .addListener(
              future -> {
                if (future.isSuccess()) {
                  Channel channel = ((io.netty.channel.ChannelFuture) future).channel();
                  channel.writeAndFlush(request(host, path));
                } else {
                  errors.incrementAndGet();
                }
                connected.countDown();
              });
    }
    connected.await();
    return group::shutdownGracefully;
  }

  private static FullHttpRequest request(String host, String path) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    request.headers().set(HttpHeaderNames.HOST, host);
    request.headers().set(HttpHeaderNames.USER_AGENT, "netty");
    return request;
  }
}
