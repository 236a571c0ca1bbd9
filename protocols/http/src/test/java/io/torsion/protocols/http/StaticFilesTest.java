package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Deferred;
import io.torsion.ReactorThreads;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
  /** Runs "pool" work inline, so that these tests need no threads. */
  static final class Inline implements ReactorThreads {
    @Override
    public void callFromThread(Runnable task) {
      task.run();
    }

    @Override
    public <T> Deferred<T> deferToThread(Callable<? extends T> work) {
      return Deferred.maybeDeferred(work);
    }

    @Override
    public <T> Deferred<T> deferToThread(Callable<? extends T> work, OnCancel onCancel) {
      return Deferred.maybeDeferred(work); // done at once: nothing left to cancel
    }

    @Override
    public void callInThread(Runnable work) {
      work.run();
    }

    @Override
    public <T> T blockingCallFromThread(Callable<? extends Deferred<T>> call) {
      throw new IllegalStateException("these tests never block");
    }

    @Override
    public void suggestThreadPoolSize(int size) {}
  }

  @TempDir Path dir;
  private Path root;
  private HttpServer server;

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectories(dir.resolve("public"));
    Files.writeString(root.resolve("hello.txt"), "0123456789");
    Files.setLastModifiedTime(
        root.resolve("hello.txt"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    Files.writeString(root.resolve("page.html"), "<p>hi</p>");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(dir.resolve("secret.txt"), "do not serve");
    Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
    server = HttpServer.create(new Clock(), StaticFiles.serve(root, "/static/", new Inline()));
  }

  private String get(String request) {
    StringTransport transport = new StringTransport();
    transport.connect(server.buildProtocol(transport.getPeer()));
    transport.receive(request.replace("\n", "\r\n") + "\r\n\r\n");
    return transport.valueUtf8().replaceAll("Date: [^\r]*\r\n", "");
  }

  @Test
  void servesAFileWithItsTypeValidatorsAndRanges() {
    String response = get("GET /static/hello.txt HTTP/1.1\nHost: h");
    assertThat(response)
        .startsWith("HTTP/1.1 200 OK")
        .contains("Content-Type: text/plain; charset=utf-8")
        .contains("ETag: \"a-")
        .contains("Last-Modified: Fri, 02 Jan 2026 03:04:05 GMT")
        .contains("Accept-Ranges: bytes")
        .endsWith("\r\n\r\n0123456789");
    assertThat(get("GET /static/page.html HTTP/1.1\nHost: h"))
        .contains("Content-Type: text/html; charset=utf-8");
    assertThat(get("HEAD /static/hello.txt HTTP/1.1\nHost: h"))
        .contains("Content-Length: 10")
        .endsWith("\r\n\r\n");
  }

  @Test
  void conditionalRequestsAnswer304() {
    String etag =
        get("GET /static/hello.txt HTTP/1.1\nHost: h")
            .replaceAll("(?s).*ETag: (\"[^\"]+\").*", "$1");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nIf-None-Match: " + etag))
        .startsWith("HTTP/1.1 304");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nIf-None-Match: \"other\""))
        .startsWith("HTTP/1.1 200");
    assertThat(
            get(
                "GET /static/hello.txt HTTP/1.1\nHost: h\nIf-Modified-Since: Fri, 2 Jan 2026 03:04:05 GMT"))
        .startsWith("HTTP/1.1 304");
    assertThat(
            get(
                "GET /static/hello.txt HTTP/1.1\nHost: h\nIf-Modified-Since: Thu, 1 Jan 2026 00:00:00 GMT"))
        .startsWith("HTTP/1.1 200");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nIf-Modified-Since: yesterday"))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void singleRangesAnswer206AndUnsatisfiableOnes416() {
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=2-4"))
        .startsWith("HTTP/1.1 206 Partial Content")
        .contains("Content-Range: bytes 2-4/10")
        .endsWith("\r\n\r\n234");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=-3"))
        .contains("bytes 7-9/10")
        .endsWith("789");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=8-"))
        .contains("bytes 8-9/10")
        .endsWith("89");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=5-100"))
        .contains("bytes 5-9/10")
        .endsWith("56789");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=20-"))
        .startsWith("HTTP/1.1 416")
        .contains("Content-Range: bytes */10");
    assertThat(
            get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=0-1\nIf-Range: \"stale\""))
        .startsWith("HTTP/1.1 200");
    assertThat(get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=0-4,3-6"))
        .as("overlapping")
        .startsWith("HTTP/1.1 200");
    assertThat(
            get(
                "GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes="
                    + "0-0,".repeat(StaticFiles.MAX_RANGES)
                    + "1-1"))
        .as("too many")
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void severalRangesAnswerMultipartByteranges() {
    String response = get("GET /static/hello.txt HTTP/1.1\nHost: h\nRange: bytes=0-1, 7-, 20-30");
    assertThat(response).startsWith("HTTP/1.1 206 Partial Content");
    String boundary = response.replaceAll("(?s).*boundary=([^\r]*)\r.*", "$1");
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertThat(body)
        .isEqualTo(
            "\r\n--"
                + boundary
                + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
                + "\r\n--"
                + boundary
                + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 7-9/10\r\n\r\n789"
                + "\r\n--"
                + boundary
                + "--\r\n");
    assertThat(response).contains("Content-Length: " + body.length() + "\r\n");
  }

  @Test
  void aFileLargerThanAChunkStreamsThroughAProducerInChunks() throws Exception {
    byte[] data = new byte[5 * FileSender.CHUNK + 123];
    new Random(7).nextBytes(data);
    Files.write(root.resolve("big.bin"), data);
    StringTransport transport = new StringTransport();
    transport.connect(server.buildProtocol(transport.getPeer()));
    transport.receive("GET /static/big.bin HTTP/1.1\r\nHost: h\r\nRange: bytes=100-\r\n\r\n");
    byte[] all = transport.value();
    String head = new String(all, 0, 400, StandardCharsets.ISO_8859_1);
    int bodyAt = head.indexOf("\r\n\r\n") + 4;
    assertThat(head)
        .startsWith("HTTP/1.1 206")
        .contains("Content-Length: " + (data.length - 100) + "\r\n");
    assertThat(Arrays.copyOfRange(all, bodyAt, all.length))
        .isEqualTo(Arrays.copyOfRange(data, 100, data.length));
    assertThat(transport.producer()).as("the sender unregisters when done").isNull();
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void noPathLeavesTheRoot() {
    for (String path :
        new String[] {
          "/static/../secret.txt",
          "/static/%2e%2e/secret.txt",
          "/static/..%2fsecret.txt",
          "/static/sub/../../secret.txt",
          "/static/%2fetc%2fpasswd",
          "/static/..%5csecret.txt",
          "/static/a%00b",
          "/static/escape.txt",
          "/static/sub",
          "/static/missing.txt",
          "/elsewhere/hello.txt"
        }) {
      assertThat(get("GET " + path + " HTTP/1.1\nHost: h"))
          .as(path)
          .startsWith("HTTP/1.1 404")
          .doesNotContain("do not serve");
    }
    assertThat(get("GET /static/%zz HTTP/1.1\nHost: h")).startsWith("HTTP/1.1 400");
  }

  @Test
  void otherMethodsAnswer405() {
    assertThat(get("POST /static/hello.txt HTTP/1.1\nHost: h\nContent-Length: 0"))
        .startsWith("HTTP/1.1 405")
        .contains("Allow: GET, HEAD");
  }
}
