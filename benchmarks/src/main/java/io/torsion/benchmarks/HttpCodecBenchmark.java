package io.torsion.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.torsion.Deferred;
import io.torsion.Protocol;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing requests and encoding responses, without sockets: TechEmpower's plaintext request (the
 * headers {@code wrk} sends there), {@code depth} of them pipelined in one read, each answered with
 * a pre-built {@code Hello, World!}. Torsion's {@link HttpServer} on the in-memory transport
 * against Netty's {@link HttpServerCodec} on an {@link EmbeddedChannel}, flushed once per read as
 * Netty's TechEmpower entry does. Scores are requests per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@OperationsPerInvocation(16)
public class HttpCodecBenchmark {
  private static final String REQUEST =
      "GET /plaintext HTTP/1.1\r\n"
          + "Host: tfb-server:8080\r\n"
          + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
          + "Connection: keep-alive\r\n\r\n";

  /**
   * Requests per read: 16 is TechEmpower's pipelining depth; with 1 the invocation is 16 separate
   * reads.
   */
  @Param({"1", "16"})
  public int depth;

  private byte[][] reads;
  private StringTransport transport;
  private Protocol torsion;
  private EmbeddedChannel netty;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] one = REQUEST.getBytes(StandardCharsets.US_ASCII);
    reads = new byte[16 / depth][];
    for (int r = 0; r < reads.length; r++) {
      reads[r] = new byte[one.length * depth];
      for (int i = 0; i < depth; i++) {
        System.arraycopy(one, 0, reads[r], i * one.length, one.length);
      }
    }
    HttpResponse hello = HttpResponse.text(200, "Hello, World!");
    transport = new StringTransport();
    torsion =
        transport.connect(
            HttpServer.create(new Clock(), request -> Deferred.succeed(hello))
                .buildProtocol(transport.getPeer()));
    FullHttpResponse prebuilt =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.unreleasableBuffer(
                Unpooled.copiedBuffer("Hello, World!", StandardCharsets.US_ASCII)));
    prebuilt
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
        .set(HttpHeaderNames.SERVER, "Netty")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 13);
    netty =
        new EmbeddedChannel(
            new HttpServerCodec(),
            new SimpleChannelInboundHandler<HttpObject>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
                if (message instanceof HttpRequest) {
                  FullHttpResponse response = prebuilt.retainedDuplicate();
                  response.headers().set(HttpHeaderNames.DATE, "Sat, 21 Nov 2026 12:00:00 GMT");
                  ctx.write(response);
                }
              }

              @Override
              public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
              }
            });
  }

  @Benchmark
  public int torsionHttpServer() {
    int written = 0;
    for (byte[] read : reads) {
      torsion.dataReceived(ByteBuffer.wrap(read));
      written += transport.value().length;
      transport.clear();
    }
    return written;
  }

  @Benchmark
  public int nettyHttpServerCodec() {
    int written = 0;
    for (byte[] read : reads) {
      netty.writeInbound(Unpooled.wrappedBuffer(read));
      for (Object out; (out = netty.readOutbound()) != null; ) {
        ByteBuf bytes = (ByteBuf) out;
        written += bytes.readableBytes();
        bytes.release();
      }
    }
    return written;
  }
}
