package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.PushProducer;
import io.torsion.ReactorOptions;
import io.torsion.testing.kit.TransportUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP server over real sockets on every transport on the class path ({@code
 * torsion-transports-all}); one that cannot run here is skipped with its reason. The protocol logic
 * is tested on the in-memory transport; these tests hold the transports to what HTTP needs of them:
 * pipelined bytes, backpressure both ways, streaming large bodies, closing after errors.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpOnEveryTransportTest {
  private static final int LARGE = 32 * 1024 * 1024;
  private static final int HIGH_WATERMARK = 64 * 1024;

  @TempDir Path dir;

  /**
   * The server's side of a streamed echo: how often the socket pushed back, and how far the buffer
   * rose.
   */
  private static final class Pushback {
    final CountDownLatch paused = new CountDownLatch(1);
    final AtomicLong maxBuffered = new AtomicLong();
    volatile int resumes;
  }

  private static Router router(Pushback pushback) {
    return Router.builder()
        .get(
            "/plaintext",
            (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
        .post(
            "/whole",
            (request, params) ->
                Deferred.succeed(HttpResponse.text(200, "got " + request.body().length)))
        .streaming(
            "POST",
            "/echo",
            (request, params) ->
                Deferred.succeed(
                    HttpResponse.streamed(
                        200,
                        "application/octet-stream",
                        request.bodyStream().length(),
                        body -> {
                          RequestBody in = request.bodyStream();
                          in.deliverTo(BodyReceiver.into(body));
                          body.registerProducer(
                              new PushProducer() { // the request body, watched
                                @Override
                                public void pauseProducing() {
                                  pushback.paused.countDown();
                                  in.pauseProducing();
                                }

                                @Override
                                public void resumeProducing() {
                                  pushback.resumes++;
                                  in.resumeProducing();
                                }

                                @Override
                                public void stopProducing() {
                                  in.stopProducing();
                                }
                              });
                        })))
        .build();
  }

  private static int listen(BackgroundReactor background, HttpHandler handler) {
    return background.call(
        () ->
            background
                .reactor()
                .listenTCP(0, "127.0.0.1", HttpServer.create(background.reactor(), handler))
                .port());
  }

  private static BackgroundReactor start(TransportUnderTest transport) {
    return BackgroundReactor.start(
        transport.newReactor(
            ReactorOptions.builder()
                .writeBufferLimit(
                    4 * 1024 * 1024) // a streamed body that ignored backpressure would be aborted
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  /** Reads one response head, up to and including the empty line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      assertThat(b).as("a response head before the end of the stream").isNotNegative();
      head.write(b);
      byte[] sofar = head.toByteArray();
      int n = sofar.length;
      if (n >= 4
          && sofar[n - 4] == '\r'
          && sofar[n - 3] == '\n'
          && sofar[n - 2] == '\r'
          && sofar[n - 1] == '\n') {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void pipelinedRequestsInOneWriteAreAnsweredInOrderOnOneConnection(TransportUnderTest transport)
      throws Exception {
    try (BackgroundReactor background = start(transport);
        Socket socket = new Socket("127.0.0.1", listen(background, router(new Pushback())))) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"
                  + "POST /whole HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                  + "GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String all = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
      assertThat(all.split("HTTP/1.1 200 OK", -1)).hasSize(4);
      assertThat(all.indexOf("Hello, World!")).isLessThan(all.indexOf("got 5"));
      assertThat(all).endsWith("Hello, World!").contains("Connection: close");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void aStreamingRouteAnswersExpectContinueAndABadChunkWithAStatus(TransportUnderTest transport)
      throws Exception {
    try (BackgroundReactor background = start(transport)) {
      int port = listen(background, router(new Pushback()));
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write(
            "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        assertThat(readHead(in)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        out.write("abc".getBytes(StandardCharsets.US_ASCII));
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200 OK");
        assertThat(in.readNBytes(contentLength(head))).isEqualTo("abc".getBytes());
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket
            .getOutputStream()
            .write(
                "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        String all = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        assertThat(all).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void aLargeStreamedEchoPausesTheUploadWhileTheClientDoesNotRead(TransportUnderTest transport)
      throws Exception {
    Pushback pushback = new Pushback();
    try (BackgroundReactor background = start(transport);
        Socket socket = new Socket("127.0.0.1", listen(background, router(pushback)))) {
      byte[] data = new byte[LARGE];
      new Random(42).nextBytes(data);
      CompletableFuture<Void> upload =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + LARGE + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  for (int at = 0; at < LARGE; at += 65536) {
                    out.write(data, at, Math.min(65536, LARGE - at));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      // The client reads nothing yet: the socket fills, the response body pushes back, the upload
      // is paused.
      assertThat(pushback.paused.await(30, TimeUnit.SECONDS))
          .as("the request body was paused")
          .isTrue();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + LARGE);
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      long left = contentLength(head);
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        assertThat(n).isPositive();
        digest.update(buffer, 0, n);
        left -= n;
      }
      upload.get(30, TimeUnit.SECONDS);
      assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(pushback.resumes).as("the upload resumed as the client read").isPositive();
      // The connection is still good for another request.
      socket
          .getOutputStream()
          .write(
              "GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(readAll(in), StandardCharsets.US_ASCII)).endsWith("Hello, World!");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void aLargeFileStreamsWholeAndRangesWork(TransportUnderTest transport) throws Exception {
    byte[] data = new byte[8 * 1024 * 1024 + 17];
    new Random(3).nextBytes(data);
    Files.write(dir.resolve("big.bin"), data);
    try (BackgroundReactor background = start(transport)) {
      int port = listen(background, StaticFiles.serve(dir, "/", background.reactor()));
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket
            .getOutputStream()
            .write(
                ("GET /big.bin HTTP/1.1\r\nHost: h\r\n\r\n"
                        + "GET /big.bin HTTP/1.1\r\nHost: h\r\nRange: bytes=1000-1999\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + data.length);
        assertThat(in.readNBytes(data.length)).isEqualTo(data);
        String partial = readHead(in);
        assertThat(partial)
            .startsWith("HTTP/1.1 206")
            .contains("Content-Range: bytes 1000-1999/" + data.length);
        assertThat(readAll(in)).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.torsion.testing.kit.TransportUnderTest#all")
  void aMalformedRequestIsAnsweredAndClosedWhileOtherConnectionsGoOn(TransportUnderTest transport)
      throws Exception {
    try (BackgroundReactor background = start(transport)) {
      int port = listen(background, router(new Pushback()));
      try (Socket good = new Socket("127.0.0.1", port);
          Socket bad = new Socket("127.0.0.1", port)) {
        bad.getOutputStream()
            .write(
                ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(readAll(bad.getInputStream()), StandardCharsets.US_ASCII);
        assertThat(answer)
            .startsWith("HTTP/1.1 400 Bad Request")
            .contains("Connection: close")
            .doesNotContain("Hello");
        good.getOutputStream()
            .write(
                "GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(readAll(good.getInputStream()), StandardCharsets.US_ASCII))
            .endsWith("Hello, World!");
      }
    }
  }
}
